package dev.kiln.lightning.token;

/** A token or key that cannot be used; the message says why. */
public final class TokenException extends Exception {
  public TokenException(String message) {
    super(message);
  }

  public TokenException(String message, Throwable cause) {
    super(message, cause);
  }
}
