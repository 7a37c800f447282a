package io.lamina.internal;

import io.lamina.BusConfig;
import io.lamina.spi.BusChannel;
import io.lamina.spi.BusListener;
import io.lamina.spi.InvalidationBus;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * A bus node's subscription to its namespace's channel. The node trusts nothing until the server confirmed it; a
 * refused one is closed and made again with a backoff (up to D), so a node whose first try failed does not stay
 * deaf, and its peers degraded, until restart.
 */
final class BusSubscription {

  private static final Logger LOG = Logger.getLogger(BusNode.class.getName());

  private final InvalidationBus bus;
  private final String namespace;
  private final BusConfig config;
  private final BusListener listener;
  private final ScheduledExecutorService scheduler;
  private final Runnable onConfirmed;
  private volatile BusChannel channel;
  private volatile boolean subscribed;
  private int subscribeAttempts; // scheduler thread only

  /**
   * Opens the channel: {@code listener} may hear messages from now on. {@code onConfirmed} runs on
   * {@code scheduler} once the server has confirmed the subscription.
   */
  BusSubscription(InvalidationBus bus, String namespace, BusConfig config, BusListener listener,
      ScheduledExecutorService scheduler, Runnable onConfirmed) {
    this.bus = bus;
    this.namespace = namespace;
    this.config = config;
    this.listener = listener;
    this.scheduler = scheduler;
    this.onConfirmed = onConfirmed;
    this.channel = bus.open(namespace, listener);
  }

  /** Starts waiting for the server's confirmation (trying again while it refuses). */
  void awaitConfirmation() {
    awaitSubscription(channel);
  }

  /** Whether the server has confirmed the subscription: published messages arrive. */
  boolean confirmed() {
    return subscribed;
  }

  /** The channel now (another one after a refused subscription was made again). */
  BusChannel channel() {
    return channel;
  }

  private void awaitSubscription(BusChannel current) {
    current.subscribed().whenComplete((ok, error) -> {
      if (error == null) {
        subscribed = true;
        scheduler.execute(onConfirmed);
        return;
      }
      if (subscribeAttempts == 0) {
        LOG.log(Level.WARNING, "namespace '" + namespace + "': subscription failed; trying again", error);
      } else { // a bus that is still connecting fails every try: one warning, then quietly
        LOG.log(Level.FINE, "namespace '" + namespace + "': subscription failed again", error);
      }
      try {
        scheduler.execute(() -> {
          long backoff = Math.min(config.detectionTime().toNanos(),
              config.heartbeatInterval().toNanos() << Math.min(10, subscribeAttempts++));
          scheduler.schedule(() -> resubscribe(current), backoff, TimeUnit.NANOSECONDS);
        });
      } catch (RejectedExecutionException closed) {
        // the node was closed meanwhile
      }
    });
  }

  private void resubscribe(BusChannel failed) {
    if (channel != failed) {
      return;
    }
    try {
      failed.close();
    } catch (RuntimeException e) {
      LOG.log(Level.FINE, "namespace '" + namespace + "': closing a refused subscription failed", e);
    }
    try {
      BusChannel next = bus.open(namespace, listener);
      channel = next;
      awaitSubscription(next);
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, "namespace '" + namespace + "': subscribing again failed", e);
      awaitSubscription(failed); // completes exceptionally at once: schedules the next try
    }
  }
}
