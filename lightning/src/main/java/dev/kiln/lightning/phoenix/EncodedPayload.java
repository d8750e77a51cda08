package dev.kiln.lightning.phoenix;

import dev.kiln.lightning.protocol.LightningJson;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;

/**
 * A push's payload, serialised once on the caller's thread: small ones as their JSON text; larger
 * ones (a {@code StreamedJson} state) only counted, and written again straight into the socket
 * when the push is sent, so no copy of a large payload is ever held.
 *
 * @param json the payload's JSON text, or null when it is streamed
 * @param streamed the payload to write again when sending, or null
 * @param utf8Length the payload's JSON in UTF-8 bytes
 */
record EncodedPayload(String json, Object streamed, long utf8Length) {
  /** Payloads with more characters than this are streamed. */
  static final int MAX_TEXT_CHARS = 64 * 1024;

  static EncodedPayload of(Object payload) {
    if (payload == null) {
      return new EncodedPayload("{}", null, 2);
    }
    CappedText out = new CappedText(MAX_TEXT_CHARS);
    try {
      LightningJson.mapper().writeValue(out, payload);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write a payload as JSON: " + e.getMessage(), e);
    }
    return out.text == null
        ? new EncodedPayload(null, payload, out.utf8Length)
        : new EncodedPayload(out.text.toString(), null, out.utf8Length);
  }

  boolean isStreamed() {
    return streamed != null;
  }

  /** Keeps the text up to {@code maxChars} characters and counts its UTF-8 bytes, however long it gets. */
  static final class CappedText extends Writer {
    private final int maxChars;
    private StringBuilder text = new StringBuilder();
    private long utf8Length;

    CappedText(int maxChars) {
      this.maxChars = maxChars;
    }

    @Override
    public void write(char[] chars, int offset, int length) {
      for (int i = offset; i < offset + length; i++) {
        char c = chars[i];
        // a surrogate pair is 4 bytes: 2 for each half
        utf8Length += c < 0x80 ? 1 : c < 0x800 || Character.isSurrogate(c) ? 2 : 3;
      }
      if (text != null) {
        if (text.length() + length > maxChars) {
          text = null;
        } else {
          text.append(chars, offset, length);
        }
      }
    }

    @Override
    public void flush() {}

    @Override
    public void close() {}
  }
}
