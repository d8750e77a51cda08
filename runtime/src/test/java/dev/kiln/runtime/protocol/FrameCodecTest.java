package dev.kiln.runtime.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FrameCodecTest {
  @TempDir Path spill;

  private static byte[] encode(Frame... frames) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    FrameWriter writer = new FrameWriter(bytes);
    for (Frame f : frames) {
      writer.write(f);
    }
    return bytes.toByteArray();
  }

  @Test
  void writesTheAgreedWireFormat() throws IOException {
    byte[] wire = encode(Frame.withBody("step-complete", "{\"step\":\"é\"}", "{\"data\":1}"));
    assertThat(new String(wire, StandardCharsets.UTF_8))
        .isEqualTo("step-complete 13 10\n{\"step\":\"é\"}{\"data\":1}");
  }

  @Test
  void aMetaTreeIsWrittenAsItsJsonWithItsUtf8Length() throws IOException {
    ObjectNode meta = new ObjectMapper().createObjectNode();
    meta.putObject("plan").put("expression", "fn(s => ({ ...s, x: 'é😀' }))\n".repeat(50_000)).put("n", 1);
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    new FrameWriter(bytes).write("run", meta, Body.ofText("{\"data\":{}}"));
    Frame read = new FrameReader(new ByteArrayInputStream(bytes.toByteArray())).read();
    assertThat(read.type()).isEqualTo("run");
    // the same JSON (characters outside the BMP come as \\u escapes from Jackson's UTF-8 writer)
    assertThat(new ObjectMapper().readTree(read.metaJson())).isEqualTo(meta);
    assertThat(read.bodyText()).isEqualTo("{\"data\":{}}");
  }

  @Test
  void roundTripsSeveralFramesWithUnicodeAndEmptyParts() throws IOException {
    Frame a = Frame.of("ready", "{}");
    Frame b = Frame.withBody("run", "{\"plan\":{\"id\":\"✓\"}}", "{\"data\":{\"x\":\"\\n😀\"}}");
    Frame c = new Frame("log", null, null);
    FrameReader reader = new FrameReader(new ByteArrayInputStream(encode(a, b, c)));

    Frame ra = reader.read();
    Frame rb = reader.read();
    Frame rc = reader.read();
    assertThat(reader.read()).isNull();
    assertThat(ra.type()).isEqualTo("ready");
    assertThat(ra.body()).isEmpty();
    assertThat(rb.metaJson()).isEqualTo(b.metaJson());
    assertThat(rb.bodyText()).isEqualTo("{\"data\":{\"x\":\"\\n😀\"}}");
    assertThat(rc.metaJson()).isEqualTo("{}");
  }

  @Test
  void bodyBytesAreOpaqueEvenWhenTheyContainNewlinesAndHeaderLikeText() throws IOException {
    byte[] body = "x 1 2\n\n\u0000".getBytes(StandardCharsets.UTF_8);
    Frame f = new Frame("step-complete", "{}", body);
    FrameReader reader = new FrameReader(new ByteArrayInputStream(encode(f, f)));
    assertThat(reader.read().body()).isEqualTo(body);
    assertThat(reader.read().body()).isEqualTo(body);
    assertThat(reader.read()).isNull();
  }

  @Test
  void truncatedFrameIsAProtocolError() throws IOException {
    byte[] wire = encode(Frame.withBody("run", "{}", "{\"data\":{}}"));
    byte[] cut = Arrays.copyOf(wire, wire.length - 3);
    FrameReader reader = new FrameReader(new ByteArrayInputStream(cut));
    assertThatThrownBy(reader::read)
        .isInstanceOf(ProtocolException.class)
        .hasMessageContaining("'run' frame");
  }

  @Test
  void aBodyLargerThanTheFirstChunkIsReadWholeAndATruncatedOneIsAnError() throws IOException {
    byte[] body = new byte[3 * 1024 * 1024 + 17];
    Arrays.fill(body, (byte) 'x');
    body[body.length - 1] = 'y';
    byte[] wire = encode(new Frame("step-complete", "{}", body), Frame.of("ready", "{}"));
    FrameReader reader = new FrameReader(new ByteArrayInputStream(wire));
    assertThat(reader.read().body()).isEqualTo(body);
    assertThat(reader.read().type()).isEqualTo("ready");

    FrameReader cut = new FrameReader(new ByteArrayInputStream(Arrays.copyOf(wire, 2 * 1024 * 1024)));
    assertThatThrownBy(cut::read).isInstanceOf(ProtocolException.class).hasMessageContaining("of " + body.length + " bytes");
  }

  @Test
  void aHeaderAloneCannotMakeTheReaderAllocateItsLength() {
    byte[] wire = ("step-complete 2 2000000000\n{}" + "x".repeat(100)).getBytes(StandardCharsets.UTF_8);
    assertThatThrownBy(new FrameReader(new ByteArrayInputStream(wire))::read)
        .isInstanceOf(ProtocolException.class).hasMessageContaining("(100 of 2000000000 bytes)");
  }

  @Test
  void bodiesOverTheReadersLimitAreDroppedWithTheirLength() throws IOException {
    byte[] big = new byte[200_000];
    byte[] wire = encode(new Frame("step-complete", "{\"a\":1}", big), Frame.withBody("workflow-complete", "{}", "{}"));
    FrameReader reader = new FrameReader(new ByteArrayInputStream(wire), 100_000);

    Frame dropped = reader.read();
    assertThat(dropped.metaJson()).isEqualTo("{\"a\":1}");
    assertThat(dropped.body()).isEmpty();
    assertThat(dropped.bodyLength()).isEqualTo(200_000);
    assertThat(dropped.bodyDropped()).isTrue();
    Frame kept = reader.read();
    assertThat(kept.bodyText()).isEqualTo("{}");
    assertThat(kept.bodyDropped()).isFalse();
    assertThat(reader.read()).isNull();

    FrameReader cut = new FrameReader(new ByteArrayInputStream(Arrays.copyOf(wire, 150_000)), 100_000);
    assertThatThrownBy(cut::read).isInstanceOf(ProtocolException.class).hasMessageContaining("of 200000 bytes");
  }

  /** One stream, several runs: each read may carry its run's own limit. */
  @Test
  void theBodyLimitCanBeGivenPerRead() throws IOException {
    byte[] big = new byte[200_000];
    Frame frame = new Frame("step-complete", "{}", big);
    FrameReader reader = new FrameReader(new ByteArrayInputStream(encode(frame, frame)));
    assertThat(reader.read(100_000).bodyDropped()).isTrue();
    assertThat(reader.read(300_000).body()).hasSize(200_000);
  }

  /** A large body goes from the stream to a file as it is read; small ones stay in memory. */
  @Test
  void largeBodiesAreSpilledToAFileAndWrittenBackFromIt() throws IOException {
    byte[] big = ("{\"data\":\"" + "é".repeat(FrameReader.SPILL_THRESHOLD_BYTES) + "\"}").getBytes(StandardCharsets.UTF_8);
    byte[] wire = encode(new Frame("step-complete", "{\"a\":1}", big), Frame.withBody("log", "{}", "{}"));
    FrameReader reader = new FrameReader(new ByteArrayInputStream(wire));

    Frame spilled = reader.read(Integer.MAX_VALUE, spill);
    assertThat(spilled.body()).isEmpty();
    assertThat(spilled.bodyDropped()).isFalse();
    assertThat(spilled.bodyFile()).hasParent(spill).hasBinaryContent(big);
    assertThat(spilled.content().length()).isEqualTo(big.length);
    Frame small = reader.read(Integer.MAX_VALUE, spill);
    assertThat(small.bodyFile()).isNull();
    assertThat(small.bodyText()).isEqualTo("{}");

    // written from the file, the frame is the same bytes on the wire
    Frame again = Frame.withBody("run", "{}", spilled.content());
    assertThat(encode(again)).isEqualTo(encode(new Frame("run", "{}", big)));
  }

  @Test
  void aStreamEndingInsideASpilledBodyLeavesNoFile() throws IOException {
    byte[] big = new byte[FrameReader.SPILL_THRESHOLD_BYTES * 2];
    byte[] wire = encode(new Frame("step-complete", "{}", big));
    FrameReader cut = new FrameReader(new ByteArrayInputStream(Arrays.copyOf(wire, wire.length - 10)));
    assertThatThrownBy(() -> cut.read(Integer.MAX_VALUE, spill)).isInstanceOf(ProtocolException.class);
    try (Stream<Path> files = Files.list(spill)) {
      assertThat(files).isEmpty();
    }
  }

  @Test
  void malformedHeadersAreRejected() {
    for (String wire : new String[] {"run 1\n{", "run x 0\n", "run -1 0\n", "run 0 0", "a b c d\n"}) {
      FrameReader reader =
          new FrameReader(new ByteArrayInputStream(wire.getBytes(StandardCharsets.US_ASCII)));
      assertThatThrownBy(reader::read).as(wire).isInstanceOf(ProtocolException.class);
    }
  }

  @Test
  void frameTypesMustBeWords() {
    assertThatThrownBy(() -> Frame.of("two words", "{}")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Frame.of("", "{}")).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void concurrentWritersNeverInterleaveFrames() throws Exception {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    FrameWriter writer = new FrameWriter(bytes);
    int perThread = 500;
    Thread[] threads = new Thread[4];
    for (int t = 0; t < threads.length; t++) {
      String body = String.valueOf((char) ('a' + t)).repeat(1000);
      threads[t] = new Thread(() -> {
        for (int i = 0; i < perThread; i++) {
          try {
            writer.write(Frame.withBody("log", "{}", body));
          } catch (IOException e) {
            throw new IllegalStateException(e);
          }
        }
      });
      threads[t].start();
    }
    for (Thread t : threads) {
      t.join();
    }
    FrameReader reader = new FrameReader(new ByteArrayInputStream(bytes.toByteArray()));
    int count = 0;
    for (Frame f = reader.read(); f != null; f = reader.read()) {
      String text = f.bodyText();
      assertThat(text).hasSize(1000).matches(String.valueOf(text.charAt(0)) + "+");
      count++;
    }
    assertThat(count).isEqualTo(threads.length * perThread);
  }
}
