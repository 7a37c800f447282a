package io.lamina.testkit.bus;

import io.lamina.spi.BusChannel;
import io.lamina.spi.BusListener;
import io.lamina.spi.InvalidationBus;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * A pub/sub network in this JVM: each {@link #connect()} is one node's connection (an {@link InvalidationBus}),
 * delivering to every subscriber of a namespace in publish order, on the subscriber's own thread. Each
 * connection can be made to lose, duplicate, reorder or corrupt what it receives, or be cut off entirely.
 */
public final class InMemoryBusNetwork {

  private final Map<String, List<Subscription>> byNamespace = new ConcurrentHashMap<>();

  /** A new connection (node) on this network. */
  public Connection connect() {
    return new Connection();
  }

  /** One node's connection, with its fault switches. */
  public final class Connection implements InvalidationBus {
    private final BusFaults faults = new BusFaults();

    @Override
    public BusChannel open(String namespace, BusListener listener) {
      Subscription s = new Subscription(this, listener, faults.newFilter());
      boolean fails = faults.subscriptionFails();
      if (!fails) {
        byNamespace.computeIfAbsent(namespace, n -> new CopyOnWriteArrayList<>()).add(s);
      }
      return new BusChannel() {
        @Override
        public CompletionStage<Void> publish(byte[] message) {
          // Cut: a partition, the send "succeeds" into the void.
          faults.unlessCut(() -> {
            for (Subscription target : byNamespace.getOrDefault(namespace, List.of())) {
              target.offer(message.clone());
            }
          });
          return CompletableFuture.completedFuture(null);
        }

        @Override
        public boolean publishesWithoutWaiting() {
          return true; // each subscription's queue is unbounded
        }

        @Override
        public CompletionStage<Void> subscribed() {
          return fails ? CompletableFuture.failedFuture(new IllegalStateException("subscription refused"))
              : CompletableFuture.completedFuture(null);
        }

        @Override
        public void close() {
          byNamespace.getOrDefault(namespace, List.of()).remove(s);
          s.executor.shutdown();
        }
      };
    }

    @Override
    public String name() {
      return "memory";
    }

    /** The switches for what this connection receives (and, when cut, sends). */
    public BusFaults faults() {
      return faults;
    }

    /**
     * Waits until this connection has handled every message offered to it so far (delivered, or dropped by its
     * faults): a cut then covers all of them, however far a busy machine let delivery fall behind.
     */
    public void drain() {
      List<CompletableFuture<Void>> handled = byNamespace.values().stream().flatMap(List::stream)
          .filter(s -> s.connection == this)
          .map(s -> CompletableFuture.runAsync(() -> { }, s.executor))
          .toList();
      // Bounded: a delivery thread stuck in a listener fails the test that drains instead of hanging it.
      CompletableFuture.allOf(handled.toArray(CompletableFuture[]::new)).orTimeout(30, TimeUnit.SECONDS).join();
    }

    /** Simulates the transport noticing a disconnect and resubscribing. */
    public void reportGap(String reason) {
      byNamespace.values().forEach(list -> list.stream().filter(s -> s.connection == this)
          .forEach(s -> s.executor.execute(() -> s.listener.onGap(reason))));
    }
  }

  private static final class Subscription {
    final Connection connection;
    final BusListener listener;
    final BusFaults.Filter filter;
    final ExecutorService executor = Executors.newSingleThreadExecutor(r -> {
      Thread t = new Thread(r, "memory-bus-delivery");
      t.setDaemon(true);
      return t;
    });

    Subscription(Connection connection, BusListener listener, BusFaults.Filter filter) {
      this.connection = connection;
      this.listener = listener;
      this.filter = filter;
    }

    void offer(byte[] message) {
      long arrived = System.nanoTime();
      executor.execute(() -> {
        long due = arrived + connection.faults().deliveryDelayNanos();
        for (long left = due - System.nanoTime(); left > 0; left = due - System.nanoTime()) {
          LockSupport.parkNanos(left); // the simulated latency itself
        }
        filter.receive(message, -1, (m, ignored) -> listener.onMessage(m));
      });
    }
  }
}
