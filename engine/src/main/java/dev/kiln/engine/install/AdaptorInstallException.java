package dev.kiln.engine.install;

/**
 * Why an adaptor could not be resolved or installed. The message names the package (and version
 * when known) and says what to do about it; it is meant to be shown to the user as is.
 */
public final class AdaptorInstallException extends Exception {
  public AdaptorInstallException(String message) {
    super(message);
  }

  public AdaptorInstallException(String message, Throwable cause) {
    super(message, cause);
  }
}
