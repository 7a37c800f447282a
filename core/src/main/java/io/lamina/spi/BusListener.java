package io.lamina.spi;

/** Receives a channel's messages and the transport's own evidence of loss. */
public interface BusListener {

  /** A message arrived. Must not block: it runs on the transport's delivery thread. */
  void onMessage(byte[] message);

  /**
   * A message arrived from a replaying channel ({@link BusChannel#replays()}), with its position in the stream,
   * so the node can tell a stream that lost messages (retention, reset) from one that redelivered them.
   */
  default void onMessage(byte[] message, long streamSequence) {
    onMessage(message);
  }

  /** The transport may have lost messages: it disconnected, resubscribed or overflowed. */
  void onGap(String reason);
}
