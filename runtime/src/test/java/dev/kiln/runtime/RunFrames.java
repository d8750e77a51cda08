package dev.kiln.runtime;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kiln.runtime.protocol.Frame;
import dev.kiln.runtime.protocol.FrameType;
import java.io.UncheckedIOException;
import java.util.List;

/** The frames of one run, with the questions tests ask about them. */
record RunFrames(List<Frame> frames) {
  static final ObjectMapper JSON = new ObjectMapper();
  /** For test plans written without quoting every key: {id: 'a', next: {b: true}}. */
  static final ObjectMapper LENIENT = new ObjectMapper()
      .enable(com.fasterxml.jackson.core.JsonParser.Feature.ALLOW_UNQUOTED_FIELD_NAMES)
      .enable(com.fasterxml.jackson.core.JsonParser.Feature.ALLOW_SINGLE_QUOTES);

  static JsonNode lenient(String json) {
    try {
      return LENIENT.readTree(json);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

  static JsonNode parse(String json) {
    try {
      return JSON.readTree(json);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

  List<String> types() {
    return frames.stream().map(Frame::type).toList();
  }

  List<String> typesWithoutLogs() {
    return frames.stream().map(Frame::type).filter(t -> !t.equals(FrameType.LOG)).toList();
  }

  Frame last() {
    return frames.get(frames.size() - 1);
  }

  /** The final state of a completed run (null when the body is empty); fails if the run errored. */
  JsonNode finalState() {
    Frame last = last();
    if (!last.type().equals(FrameType.WORKFLOW_COMPLETE)) {
      throw new AssertionError("the run did not complete: " + last + "\nlogs:\n" + String.join("\n", logLines()));
    }
    return last.body().length == 0 ? null : parse(last.bodyText());
  }

  /** The workflow-error meta; fails if the run completed. */
  JsonNode workflowError() {
    Frame last = last();
    if (!last.type().equals(FrameType.WORKFLOW_ERROR)) {
      throw new AssertionError("the run did not fail: " + last + " " + last.bodyText());
    }
    return parse(last.metaJson());
  }

  /** The final state, compared as JSON with a lenient expected text. */
  void assertFinalState(String expected) {
    org.assertj.core.api.Assertions.assertThat(finalState()).isEqualTo(lenient(expected));
  }

  List<JsonNode> metas(String type) {
    return frames.stream().filter(f -> f.type().equals(type)).map(f -> parse(f.metaJson())).toList();
  }

  List<Frame> ofType(String type) {
    return frames.stream().filter(f -> f.type().equals(type)).toList();
  }

  /** "NAME level text" per log frame, the message array's items joined by spaces. */
  List<String> logLines() {
    return metas(FrameType.LOG).stream()
        .map(m -> {
          StringBuilder line = new StringBuilder(m.path("name").asText() + " " + m.path("level").asText());
          for (JsonNode item : parse(m.path("message").asText())) {
            line.append(' ').append(item.isTextual() ? item.asText() : item.toString());
          }
          return line.toString();
        })
        .toList();
  }
}
