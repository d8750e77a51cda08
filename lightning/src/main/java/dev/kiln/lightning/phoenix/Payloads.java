package dev.kiln.lightning.phoenix;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kiln.lightning.protocol.LightningJson;

/** Lenient reading of payloads: lightning-mock sends some objects as JSON strings. */
final class Payloads {
  private Payloads() {}

  /** The payload, or the object/array inside it when it is a JSON string such as {@code "{}"}. */
  static JsonNode lenient(JsonNode payload) {
    if (payload.isTextual()) {
      String text = payload.asText().strip();
      if (text.startsWith("{") || text.startsWith("[")) {
        try {
          return LightningJson.parse(text);
        } catch (IllegalArgumentException notJson) {
          return payload;
        }
      }
    }
    return payload;
  }
}
