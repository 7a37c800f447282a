package io.lamina.spi;

/**
 * A transport for invalidation messages between nodes, such as core NATS or Redis Pub/Sub. One channel per
 * namespace, so one service's churn never reaches another's nodes.
 *
 * <p>Delivery may be at-most-once: the facade numbers messages, sends heartbeats and detects what was lost. What
 * a transport must do: deliver a channel's messages in the order they were published on it, report every
 * disconnect and resubscription through {@link BusListener#onGap}, never buffer a publish while disconnected
 * (a late delivery would be a lie), and never put ids in subjects or channel names.
 */
public interface InvalidationBus {

  /** Opens the channel of {@code namespace}; messages arrive at {@code listener} on the transport's thread. */
  BusChannel open(String namespace, BusListener listener);

  /** A short name for logs and metrics, such as {@code nats}. */
  String name();
}
