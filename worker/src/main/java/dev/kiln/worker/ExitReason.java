package dev.kiln.worker;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The {@code reason}, {@code error_type} and {@code error_message} of a {@code step:complete} or
 * {@code run:complete} (spec §5).
 */
record ExitReason(String reason, String errorType, String errorMessage) {
  static final ExitReason SUCCESS = new ExitReason("success", null, null);

  /**
   * The reason an error gives (spec §5.2): its severity ({@code crash} when it has none), its
   * {@code subtype || type || name} ({@code name} for {@code fail}), its message.
   */
  static ExitReason ofError(JsonNode error) {
    String severity = text(error, "severity");
    if ("fail".equals(severity) && text(error, "name") != null) {
      // a caught job error: the reference reads state.errors[job].name (e.g. RuntimeError)
      return new ExitReason(severity, text(error, "name"), text(error, "message"));
    }
    String type = text(error, "subtype");
    if (type == null) {
      type = text(error, "type");
    }
    if (type == null) {
      type = text(error, "name");
    }
    return new ExitReason(severity == null ? "crash" : severity, type, text(error, "message"));
  }

  boolean isSuccess() {
    return "success".equals(reason);
  }

  /** Writes the three fields; success has both error fields {@code null}. */
  ObjectNode writeTo(ObjectNode payload) {
    payload.put("reason", reason);
    payload.put("error_type", errorType);
    payload.put("error_message", errorMessage);
    return payload;
  }

  private static String text(JsonNode node, String field) {
    JsonNode value = node.get(field);
    return value == null || value.isNull() || value.asText().isEmpty() ? null : value.asText();
  }
}
