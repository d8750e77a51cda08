package dev.kiln.lightning.phoenix;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.NullNode;
import dev.kiln.lightning.protocol.ClaimRequest;
import dev.kiln.lightning.protocol.RawJson;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FrameCodecTest {
  @Test
  void encodesTheReferenceClaimFrameByteForByte() {
    String frame =
        FrameCodec.encode("3", "7", "worker:queue", "claim", new ClaimRequest(1, null, List.of("manual", "*")));
    assertThat(frame)
        .isEqualTo("[\"3\",\"7\",\"worker:queue\",\"claim\",{\"demand\":1,\"worker_name\":null,\"queues\":[\"manual\",\"*\"]}]");
  }

  @Test
  void heartbeatHasNullJoinRefAndEmptyObjectPayload() {
    assertThat(FrameCodec.encode(null, "12", "phoenix", "heartbeat", null))
        .isEqualTo("[null,\"12\",\"phoenix\",\"heartbeat\",{}]");
  }

  @Test
  void rawJsonPayloadsAreWrittenVerbatim() {
    String frame = FrameCodec.encode("1", "2", "run:r", "x", Map.of("final_state", RawJson.of("{\"data\":{\"a\":[1,2]}}")));
    assertThat(frame).isEqualTo("[\"1\",\"2\",\"run:r\",\"x\",{\"final_state\":{\"data\":{\"a\":[1,2]}}}]");
  }

  @Test
  void decodesServerReplyAndPush() {
    Frame reply = FrameCodec.decodeText("[\"3\",\"7\",\"worker:queue\",\"phx_reply\",{\"status\":\"ok\",\"response\":{\"runs\":[]}}]");
    assertThat(reply.joinRef()).isEqualTo("3");
    assertThat(reply.ref()).isEqualTo("7");
    assertThat(reply.event()).isEqualTo("phx_reply");
    assertThat(reply.payload().path("response").path("runs").isArray()).isTrue();

    Frame push = FrameCodec.decodeText("[\"3\",null,\"worker:queue\",\"work-available\",{}]");
    assertThat(push.ref()).isNull();
    assertThat(push.isBinary()).isFalse();
  }

  @Test
  void decodesTheMockWorkAvailableWithStringPayloadAndEmptyRef() {
    Frame push = FrameCodec.decodeText("[null,\"\",\"worker:queue\",\"work-available\",\"{}\"]");
    assertThat(push.joinRef()).isNull();
    assertThat(push.ref()).isEmpty();
    assertThat(push.payload().isTextual()).isTrue();
    assertThat(Payloads.lenient(push.payload()).isObject()).isTrue();
  }

  @Test
  void nullPayloadDecodesAsJsonNull() {
    assertThat(FrameCodec.decodeText("[\"1\",\"2\",\"t\",\"e\",null]").payload()).isEqualTo(NullNode.instance);
  }

  @Test
  void rejectsFramesThatAreNotFiveElementArrays() {
    assertThatThrownBy(() -> FrameCodec.decodeText("{\"a\":1}")).isInstanceOf(FrameException.class);
    assertThatThrownBy(() -> FrameCodec.decodeText("[\"1\",\"2\",\"t\",\"e\"]")).isInstanceOf(FrameException.class);
    assertThatThrownBy(() -> FrameCodec.decodeText("[\"1\",\"2\",null,\"e\",{}]")).isInstanceOf(FrameException.class);
    assertThatThrownBy(() -> FrameCodec.decodeText("not json")).isInstanceOf(FrameException.class);
  }

  @Test
  void binaryReplyMatchesPhoenixLayoutAndRoundTrips() {
    byte[] body = "{\"data\":{\"x\":1}}".getBytes(StandardCharsets.UTF_8);
    byte[] frame = FrameCodec.encodeBinaryReply("4", "12", "run:abc", "ok", body);
    // kind 1, sizes of join_ref, ref, topic, status; then the fields and the body
    assertThat(frame[0]).isEqualTo((byte) 1);
    assertThat(new byte[] {frame[1], frame[2], frame[3], frame[4]}).containsExactly(1, 2, 7, 2);
    assertThat(new String(frame, 5, 1 + 2 + 7 + 2, StandardCharsets.UTF_8)).isEqualTo("412run:abcok");

    Frame decoded = FrameCodec.decodeBinary(ByteBuffer.wrap(frame));
    assertThat(decoded.joinRef()).isEqualTo("4");
    assertThat(decoded.ref()).isEqualTo("12");
    assertThat(decoded.topic()).isEqualTo("run:abc");
    assertThat(decoded.event()).isEqualTo("phx_reply");
    assertThat(decoded.payload().path("status").asText()).isEqualTo("ok");
    assertThat(decoded.binaryBody()).isEqualTo(body);
  }

  @Test
  void decodesBinaryPushAndBroadcast() {
    byte[] push = bytes(0, 1, 5, 3, "1", "run:x", "evt", "DATA");
    Frame p = FrameCodec.decodeBinary(ByteBuffer.wrap(push));
    assertThat(p.joinRef()).isEqualTo("1");
    assertThat(p.topic()).isEqualTo("run:x");
    assertThat(p.event()).isEqualTo("evt");
    assertThat(new String(p.binaryBody(), StandardCharsets.UTF_8)).isEqualTo("DATA");

    byte[] broadcast = bytes(2, 5, 3, -1, "run:x", "evt", "", "B");
    Frame b = FrameCodec.decodeBinary(ByteBuffer.wrap(broadcast));
    assertThat(b.topic()).isEqualTo("run:x");
    assertThat(b.event()).isEqualTo("evt");
    assertThat(new String(b.binaryBody(), StandardCharsets.UTF_8)).isEqualTo("B");
  }

  @Test
  void rejectsTruncatedAndUnknownBinaryFrames() {
    assertThatThrownBy(() -> FrameCodec.decodeBinary(ByteBuffer.wrap(new byte[] {1, 5, 5, 5, 5, 'a'})))
        .isInstanceOf(FrameException.class)
        .hasMessageContaining("shorter");
    assertThatThrownBy(() -> FrameCodec.decodeBinary(ByteBuffer.wrap(new byte[] {9})))
        .isInstanceOf(FrameException.class)
        .hasMessageContaining("kind 9");
  }

  /** header bytes (a negative size is skipped), then the strings. */
  private static byte[] bytes(int kind, int a, int b, int c, String... parts) {
    ByteBuffer out = ByteBuffer.allocate(256);
    out.put((byte) kind).put((byte) a).put((byte) b);
    if (c >= 0) {
      out.put((byte) c);
    }
    for (String part : parts) {
      out.put(part.getBytes(StandardCharsets.UTF_8));
    }
    byte[] result = new byte[out.position()];
    out.flip().get(result);
    return result;
  }

  @Test
  void preSerialisedPayloadsMakeTheSameFrame() {
    Map<String, Object> payload = Map.of("message", List.of("é", 1));
    assertThat(FrameCodec.encodeWithPayloadJson("1", "2", "run:r", "run:log", EncodedPayload.of(payload).json()))
        .isEqualTo(FrameCodec.encode("1", "2", "run:r", "run:log", payload));
    assertThat(FrameCodec.encodeWithPayloadJson(null, "2", "t", "e", EncodedPayload.of(null).json()))
        .isEqualTo(FrameCodec.encode(null, "2", "t", "e", null));
  }

  @Test
  void encodedPayloadsCountUtf8BytesNotChars() {
    String text = "aé€😀";
    EncodedPayload encoded = EncodedPayload.of(List.of(text));
    assertThat(encoded.json()).isEqualTo("[\"" + text + "\"]");
    assertThat(encoded.utf8Length()).isEqualTo(encoded.json().getBytes(StandardCharsets.UTF_8).length);
  }

  @Test
  void largePayloadsAreCountedNotKept() {
    String text = "é".repeat(EncodedPayload.MAX_TEXT_CHARS);
    EncodedPayload encoded = EncodedPayload.of(Map.of("x", text));
    assertThat(encoded.isStreamed()).isTrue();
    assertThat(encoded.json()).isNull();
    assertThat(encoded.utf8Length()).isEqualTo(dev.kiln.lightning.protocol.LightningJson.write(Map.of("x", text)).getBytes(StandardCharsets.UTF_8).length);
  }
}
