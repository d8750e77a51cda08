package dev.kiln.lightning.phoenix;

/** A frame that does not follow Phoenix's V2 serializer. */
public final class FrameException extends RuntimeException {
  public FrameException(String message) {
    super(message);
  }

  public FrameException(String message, Throwable cause) {
    super(message, cause);
  }
}
