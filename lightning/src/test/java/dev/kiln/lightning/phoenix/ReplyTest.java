package dev.kiln.lightning.phoenix;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ReplyTest {
  private static Reply reply(String frame) {
    return Reply.fromFrame(FrameCodec.decodeText(frame));
  }

  @Test
  void readsStatusAndResponse() {
    Reply ok = reply("[\"1\",\"2\",\"run:r\",\"phx_reply\",{\"status\":\"ok\",\"response\":{\"step_id\":\"s\"}}]");
    assertThat(ok.isOk()).isTrue();
    assertThat(ok.response().path("step_id").asText()).isEqualTo("s");

    Reply error = reply("[\"1\",\"2\",\"run:r\",\"phx_reply\",{\"status\":\"error\",\"response\":{\"errors\":{\"id\":[\"Credential not found!\"]}}}]");
    assertThat(error.status()).isEqualTo(Reply.Status.ERROR);
    assertThat(error.describe("fetch:credential"))
        .isEqualTo("[fetch:credential] {\"errors\":{\"id\":[\"Credential not found!\"]}}");
  }

  @Test
  void nullResponseAndMockStringResponse() {
    assertThat(reply("[\"1\",\"2\",\"run:r\",\"phx_reply\",{\"status\":\"ok\",\"response\":null}]").response().isNull()).isTrue();
    Reply mock = reply("[\"1\",\"2\",\"run:r\",\"chan_reply_2\",{\"status\":\"error\",\"response\":\"There are no listeners on channel run:r\"}]");
    assertThat(mock.describe("run:log")).isEqualTo("[run:log] There are no listeners on channel run:r");
  }

  @Test
  void dataclipFromBinaryBodyByteArrayStringOrObject() {
    String json = "{\"data\":{\"ü\":1}}";
    byte[] utf8 = json.getBytes(StandardCharsets.UTF_8);
    Frame binary = FrameCodec.decodeBinary(java.nio.ByteBuffer.wrap(FrameCodec.encodeBinaryReply("1", "2", "run:r", "ok", utf8)));
    assertThat(Reply.fromFrame(binary).responseText()).isEqualTo(json);

    StringBuilder array = new StringBuilder("[");
    for (int i = 0; i < utf8.length; i++) {
      array.append(i == 0 ? "" : ",").append(utf8[i] & 0xff);
    }
    array.append(']');
    Reply bytes = reply("[\"1\",\"2\",\"run:r\",\"chan_reply_2\",{\"status\":\"ok\",\"response\":" + array + "}]");
    assertThat(bytes.responseText()).isEqualTo(json);

    assertThat(reply("[\"1\",\"2\",\"run:r\",\"phx_reply\",{\"status\":\"ok\",\"response\":\"{\\\"a\\\":1}\"}]").responseText())
        .isEqualTo("{\"a\":1}");
    assertThat(reply("[\"1\",\"2\",\"run:r\",\"phx_reply\",{\"status\":\"ok\",\"response\":{\"a\":1}}]").responseText())
        .isEqualTo("{\"a\":1}");
  }

  @Test
  void payloadWithoutStatusIsAnOkWithThePayloadAsResponse() {
    Reply reply = reply("[\"1\",\"2\",\"t\",\"phx_reply\",\"{\\\"runs\\\":[]}\"]");
    assertThat(reply.isOk()).isTrue();
    assertThat(reply.response().path("runs").isArray()).isTrue();
  }

  @Test
  void timeoutIsDescribedAsTheReferenceDoes() {
    assertThat(Reply.timeout().describe("fetch:credential")).isEqualTo("[fetch:credential] timeout");
  }
}
