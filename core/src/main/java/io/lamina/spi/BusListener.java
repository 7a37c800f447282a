package io.lamina.spi;

/** Receives a channel's messages and the transport's own evidence of loss. */
public interface BusListener {

  /** A message arrived. Must not block: it runs on the transport's delivery thread. */
  void onMessage(byte[] message);

  /** The transport may have lost messages: it disconnected, resubscribed or overflowed. */
  void onGap(String reason);
}
