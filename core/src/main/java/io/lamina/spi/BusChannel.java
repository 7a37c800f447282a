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
   * Whether {@link #publish} would return now, without waiting for room in the transport (a full outgoing queue,
   * an acknowledgement). When it would, a write's lone invalidation is published on the writer's own thread, which
   * spares the node's sender thread a wake-up; when not, the sender thread publishes it, so no writer ever waits
   * for the transport. Asked before each such publish, so it may answer from the transport's current state. The
   * default, false, always hands the publish to the sender thread.
   */
  default boolean publishesWithoutWaiting() {
    return false;
  }

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
