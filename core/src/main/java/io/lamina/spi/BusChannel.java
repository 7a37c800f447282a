package io.lamina.spi;

import java.util.concurrent.CompletionStage;

/** One namespace's channel on an {@link InvalidationBus}. */
public interface BusChannel extends AutoCloseable {

  /**
   * Publishes one message. Messages published by one channel are delivered in that order. Completes when the
   * transport has written it, exceptionally when it could not (disconnected: nothing is buffered).
   */
  CompletionStage<Void> publish(byte[] message);

  /**
   * Whether this channel redelivers, after a disconnect, the messages it missed (from a stream such as NATS
   * JetStream), reporting a gap only when it cannot. A node on such a channel does not flush when it regains
   * trust, since nothing was lost.
   */
  default boolean replays() {
    return false;
  }

  /** Completes once the server has confirmed the subscription: from then on, published messages arrive. */
  CompletionStage<Void> subscribed();

  /** Unsubscribes; the transport's client is not closed (the application owns it). */
  @Override
  void close();
}
