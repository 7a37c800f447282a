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
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;

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
    private volatile double dropRate;
    private volatile boolean cut;
    private volatile boolean duplicate;
    private volatile boolean reorder;
    private volatile boolean corrupt;
    private volatile java.util.function.@Nullable UnaryOperator<byte[]> tamper;
    private final java.util.concurrent.atomic.AtomicInteger dropNext = new java.util.concurrent.atomic.AtomicInteger();
    private final AtomicLong delivered = new AtomicLong();
    private final AtomicLong dropped = new AtomicLong();

    @Override
    public BusChannel open(String namespace, BusListener listener) {
      Subscription s = new Subscription(this, listener);
      byNamespace.computeIfAbsent(namespace, n -> new CopyOnWriteArrayList<>()).add(s);
      return new BusChannel() {
        @Override
        public CompletionStage<Void> publish(byte[] message) {
          if (cut) {
            return CompletableFuture.completedFuture(null); // a partition: the send "succeeds" into the void
          }
          for (Subscription target : byNamespace.getOrDefault(namespace, List.of())) {
            target.offer(message.clone());
          }
          return CompletableFuture.completedFuture(null);
        }

        @Override
        public CompletionStage<Void> subscribed() {
          return CompletableFuture.completedFuture(null);
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

    /** Rewrites every message this connection receives (to forge sequences, epochs, ...); null stops. */
    public void tamper(java.util.function.@Nullable UnaryOperator<byte[]> rewrite) {
      this.tamper = rewrite;
    }

    /** Drops the next {@code n} messages this connection receives, whatever they are. */
    public void dropNext(int n) {
      dropNext.set(n);
    }

    /** Drops this fraction of the messages this connection receives, at random. */
    public void dropRate(double rate) {
      this.dropRate = rate;
    }

    /** Cuts this connection off: it neither receives nor delivers, and its publishes still "succeed". */
    public void cut(boolean on) {
      this.cut = on;
    }

    /** Delivers every received message twice. */
    public void duplicate(boolean on) {
      this.duplicate = on;
    }

    /** Swaps each pair of received messages. */
    public void reorder(boolean on) {
      this.reorder = on;
    }

    /** Flips bytes of every received message. */
    public void corrupt(boolean on) {
      this.corrupt = on;
    }

    /** Simulates the transport noticing a disconnect and resubscribing. */
    public void reportGap(String reason) {
      byNamespace.values().forEach(list -> list.stream().filter(s -> s.connection == this)
          .forEach(s -> s.executor.execute(() -> s.listener.onGap(reason))));
    }

    public long delivered() {
      return delivered.get();
    }

    public long dropped() {
      return dropped.get();
    }
  }

  private static final class Subscription {
    final Connection connection;
    final BusListener listener;
    final ExecutorService executor = Executors.newSingleThreadExecutor(r -> {
      Thread t = new Thread(r, "memory-bus-delivery");
      t.setDaemon(true);
      return t;
    });
    private byte @Nullable [] held;

    Subscription(Connection connection, BusListener listener) {
      this.connection = connection;
      this.listener = listener;
    }

    void offer(byte[] received) {
      byte[] message = received;
      Connection c = connection;
      if (c.cut || c.dropNext.getAndUpdate(n -> Math.max(0, n - 1)) > 0
          || (c.dropRate > 0 && ThreadLocalRandom.current().nextDouble() < c.dropRate)) {
        c.dropped.incrementAndGet();
        return;
      }
      java.util.function.UnaryOperator<byte[]> rewrite = c.tamper;
      if (rewrite != null) {
        message = rewrite.apply(message);
      }
      if (c.corrupt) {
        for (int i = 0; i < message.length; i += 7) {
          message[i] ^= (byte) 0x5A;
        }
      }
      byte[] delivered = message;
      executor.execute(() -> deliver(delivered));
    }

    private void deliver(byte[] message) {
      Connection c = connection;
      if (c.reorder) {
        if (held == null) {
          held = message;
          return;
        }
        byte[] first = held;
        held = null;
        send(message);
        send(first);
        return;
      }
      send(message);
      if (c.duplicate) {
        send(message);
      }
    }

    private void send(byte[] message) {
      connection.delivered.incrementAndGet();
      listener.onMessage(message);
    }
  }
}
