package dev.kiln.lightning.phoenix;

/**
 * Socket connection state changes, called on the socket's dispatch thread (do not block there).
 * The worker stops claiming on {@link #disconnected} and resumes when {@code worker:queue} is
 * joined again.
 */
public interface ConnectionListener {
  void connected();

  /** The socket closed or could not be opened; it reconnects by itself unless it was closed. */
  void disconnected(String reason);
}
