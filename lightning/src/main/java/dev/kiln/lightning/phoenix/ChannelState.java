package dev.kiln.lightning.phoenix;

/** The states of a Phoenix channel ({@code phoenix/constants.js CHANNEL_STATES}). */
public enum ChannelState {
  /** Created, never joined, or left / closed by the server. */
  CLOSED,
  /** A join was sent (or waits for the socket) and has no reply yet. */
  JOINING,
  JOINED,
  /** Join failed, timed out, or the socket/server dropped the channel: a rejoin is scheduled. */
  ERRORED,
  LEAVING
}
