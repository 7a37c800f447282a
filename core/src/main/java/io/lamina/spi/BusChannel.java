package io.lamina.spi;

import java.util.concurrent.CompletionStage;

/** One namespace's channel on an {@link InvalidationBus}. */
public interface BusChannel extends AutoCloseable {

  /**
   * Publishes one message. Messages published by one channel are delivered in that order. Completes when the
   * transport has written it, exceptionally when it could not (disconnected: nothing is buffered).
   */
  CompletionStage<Void> publish(byte[] message);

  /** Completes once the server has confirmed the subscription: from then on, published messages arrive. */
  CompletionStage<Void> subscribed();

  /** Unsubscribes; the transport's client is not closed (the application owns it). */
  @Override
  void close();
}
