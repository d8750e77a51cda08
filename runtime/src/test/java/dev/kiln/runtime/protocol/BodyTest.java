package dev.kiln.runtime.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BodyTest {
  @TempDir Path dir;

  private Body inFile(String name, byte[] bytes) throws IOException {
    Path file = dir.resolve(name);
    Files.write(file, bytes);
    return Body.inFile(file);
  }

  @Test
  void aBodyInMemoryAndTheSameBytesInAFileReadAlike() throws IOException {
    byte[] bytes = "{\"x\":\"é😀\"}".getBytes(StandardCharsets.UTF_8);
    Body memory = Body.of(bytes);
    Body file = inFile("state.json", bytes);

    for (Body body : new Body[] {memory, file}) {
      assertThat(body.length()).isEqualTo(bytes.length);
      assertThat(body.text()).isEqualTo("{\"x\":\"é😀\"}");
      assertThat(body.startsWith('{')).isTrue();
      assertThat(body.startsWith('[')).isFalse();
      try (InputStream in = body.open()) {
        assertThat(in.readAllBytes()).isEqualTo(bytes);
      }
    }
    assertThat(memory.file()).isNull();
    assertThat(file.file()).isEqualTo(dir.resolve("state.json"));
    assertThat(memory.sameBytes(file)).isTrue();
    assertThat(file.sameBytes(memory)).isTrue();
  }

  @Test
  void sameBytesComparesWholeFilesPastTheirFirstBuffer() throws IOException {
    byte[] a = new byte[200_000];
    byte[] b = a.clone();
    b[150_000] = 1;
    assertThat(inFile("a", a).sameBytes(inFile("a2", a.clone()))).isTrue();
    assertThat(inFile("a3", a).sameBytes(inFile("b", b))).isFalse();
    assertThat(inFile("a4", a).sameBytes(Body.of(new byte[199_999]))).isFalse();
    assertThat(inFile("a5", a).sameBytes(null)).isFalse();
  }

  @Test
  void emptyAndNullAreTheEmptyBody() {
    assertThat(Body.of(null).isEmpty()).isTrue();
    assertThat(Body.ofText(null).isEmpty()).isTrue();
    assertThat(Body.ofText("").length()).isZero();
    assertThat(Body.of(new byte[0]).startsWith('{')).isFalse();
    assertThat(Body.of(new byte[0]).text()).isEmpty();
  }
}
