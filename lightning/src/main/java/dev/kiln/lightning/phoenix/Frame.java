package dev.kiln.lightning.phoenix;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import java.nio.file.Path;

/**
 * One Phoenix V2 message: {@code [join_ref, ref, topic, event, payload]}.
 *
 * @param joinRef the ref of the channel's join, null for heartbeats and server broadcasts
 * @param ref the message ref, null for server pushes
 * @param topic e.g. {@code worker:queue}, {@code run:<id>}, {@code phoenix}
 * @param event e.g. {@code phx_join}, {@code phx_reply}, {@code claim}
 * @param payload the payload as decoded (never null: JSON null is {@link NullNode}); for a binary
 *     reply frame it is {@code {"status": <status>}}
 * @param binaryBody the raw body of a binary frame (a reply's response, or a push's data), else
 *     null
 * @param bodyFile the file a large binary reply's body was written to as it arrived (then {@code
 *     binaryBody} is null; the file belongs to whoever takes the reply), else null
 */
public record Frame(
    String joinRef, String ref, String topic, String event, JsonNode payload, byte[] binaryBody, Path bodyFile) {
  public Frame {
    payload = payload == null ? NullNode.instance : payload;
  }

  public Frame(String joinRef, String ref, String topic, String event, JsonNode payload, byte[] binaryBody) {
    this(joinRef, ref, topic, event, payload, binaryBody, null);
  }

  public Frame(String joinRef, String ref, String topic, String event, JsonNode payload) {
    this(joinRef, ref, topic, event, payload, null, null);
  }

  /** Deletes the body file of a frame nobody takes (a stray or late reply), if it has one. */
  void discardBody() {
    PhoenixSocket.deleteQuietly(bodyFile);
  }

  public boolean isBinary() {
    return binaryBody != null || bodyFile != null;
  }

  @Override
  public String toString() {
    String body = binaryBody != null ? "<" + binaryBody.length + " bytes>" : bodyFile != null ? "<" + bodyFile + ">" : "";
    return "[" + joinRef + ", " + ref + ", " + topic + ", " + event + ", " + payload + body + "]";
  }
}
