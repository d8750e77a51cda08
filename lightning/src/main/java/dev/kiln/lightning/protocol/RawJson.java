package dev.kiln.lightning.protocol;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import java.io.IOException;
import java.util.Objects;

/**
 * A JSON value kept as text: written into a payload verbatim (not re-parsed, not escaped), read
 * back as the text of whatever value was there. Used for states and log messages that the worker
 * passes through from the run process without looking inside (a state may be megabytes).
 *
 * @param json valid JSON text (the caller vouches for it: it is written as it is)
 */
@JsonSerialize(using = RawJson.Writer.class)
@JsonDeserialize(using = RawJson.Reader.class)
public record RawJson(String json) {
  public RawJson {
    Objects.requireNonNull(json, "json");
  }

  public static RawJson of(String json) {
    return new RawJson(json);
  }

  @Override
  public String toString() {
    return json;
  }

  static final class Writer extends JsonSerializer<RawJson> {
    @Override
    public void serialize(RawJson value, JsonGenerator gen, SerializerProvider serializers)
        throws IOException {
      gen.writeRawValue(value.json());
    }
  }

  static final class Reader extends JsonDeserializer<RawJson> {
    @Override
    public RawJson deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
      return new RawJson(p.readValueAsTree().toString());
    }

    @Override
    public RawJson getNullValue(DeserializationContext ctxt) {
      return new RawJson("null");
    }
  }
}
