package dev.kiln.devserver;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.TextNode;

/**
 * The server's answer to one pushed message: {@code ok}/{@code error} with a JSON response, a
 * binary {@code ok} reply (raw bytes, as Lightning sends dataclips), or no reply at all.
 */
record Reply(String status, JsonNode response, byte[] binary, boolean silent) {

  static Reply ok(JsonNode response) {
    return new Reply("ok", response == null ? NullNode.instance : response, null, false);
  }

  static Reply error(JsonNode response) {
    return new Reply("error", response, null, false);
  }

  static Reply error(String message) {
    return error(TextNode.valueOf(message));
  }

  /** Lightning's changeset error shape: {@code {"errors": {"<field>": ["<message>"]}}}. */
  static Reply fieldError(String field, String message) {
    com.fasterxml.jackson.databind.node.ObjectNode body = Json.object();
    body.putObject("errors").putArray(field).add(message);
    return error(body);
  }

  static Reply binary(byte[] body) {
    return new Reply("ok", null, body, false);
  }

  static Reply none() {
    return new Reply(null, null, null, true);
  }
}
