package dev.kiln.runtime.protocol;

import java.io.IOException;

/** The byte stream is not a well-formed sequence of frames (truncated, bad header). */
public final class ProtocolException extends IOException {
  ProtocolException(String message) {
    super(message);
  }
}
