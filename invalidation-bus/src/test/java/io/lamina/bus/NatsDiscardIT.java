package io.lamina.bus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.lamina.TieredCache;
import io.lamina.spi.BusChannel;
import io.lamina.spi.BusListener;
import io.lamina.spi.InvalidationMessage;
import io.nats.client.Connection;
import io.nats.client.ErrorListener;
import io.nats.client.Message;
import io.nats.client.Nats;
import io.nats.client.Options;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.redisson.api.RedissonClient;

/**
 * A core NATS channel publishes on the writer's thread only on a connection that discards when its outgoing queue
 * is full (as {@link NatsInvalidationBus#connect} makes it): there jnats never makes a publish wait. With the server
 * stopped (SIGSTOP) and that queue full, a write returns, its invalidation is discarded, and the peer that missed it
 * sees the hole in the writer's numbering as a gap once the server reads again: it flushes and reads the new value.
 */
@Timeout(120)
class NatsDiscardIT {

  private static final Duration H = Duration.ofMillis(100);
  private static final Duration D = Duration.ofMillis(500);
  private static final String NAMESPACE = "natsdiscard";

  private final List<AutoCloseable> resources = new ArrayList<>();
  private @Nullable BusCluster cluster;

  @AfterEach
  void close() throws Exception {
    for (int i = resources.size() - 1; i >= 0; i--) {
      resources.get(i).close();
    }
    if (cluster != null) {
      cluster.close();
    }
  }

  @Test
  void onlyAConnectionThatDiscardsWhenFull_publishesOnTheWritersThread() throws Exception {
    BusCluster servers = new BusCluster(BusCluster.Transport.NATS);
    cluster = servers;
    String url = Objects.requireNonNull(servers.nats).url();
    Connection lamina = NatsInvalidationBus.connect(url);
    resources.add(lamina);
    Connection blocking = Nats.connect(Options.builder().server(url).pingInterval(Duration.ofSeconds(1)).build());
    resources.add(blocking);

    assertThat(lamina.getOptions().isDiscardMessagesWhenOutgoingQueueFull()).isTrue();
    assertThat(channel(lamina).publishesWithoutWaiting()).isTrue();
    assertThat(channel(blocking).publishesWithoutWaiting()).isFalse();
  }

  @Test
  void aWriteWhileTheServerIsStoppedAndTheQueueFull_returns_andThePeerThatMissedItFlushes() throws Exception {
    BusCluster servers = new BusCluster(BusCluster.Transport.NATS);
    cluster = servers;
    var nats = Objects.requireNonNull(servers.nats);
    Map<String, String> source = new ConcurrentHashMap<>(Map.of("k", "v1"));
    String subject = NatsInvalidationBus.subject(NAMESPACE);
    AtomicLong fillersDiscarded = new AtomicLong();
    AtomicLong invalidationsDiscarded = new AtomicLong();
    // Both nodes' connections ping every 10 s, so jnats does not give them up while the server is stopped (a
    // disconnect would be a gap of its own, hiding the one under test). The writer's has a short outgoing queue
    // that discards when full.
    Connection writerConnection = Nats.connect(quietPings(nats.url())
        .maxMessagesInOutgoingQueue(64).discardMessagesWhenOutgoingQueueFull()
        .errorListener(new ErrorListener() {
          @Override
          public void messageDiscarded(Connection conn, Message msg) {
            if (!subject.equals(msg.getSubject())) {
              fillersDiscarded.incrementAndGet();
            } else if (InvalidationMessage.decode(msg.getData()).kind() == InvalidationMessage.Kind.INVALIDATE) {
              invalidationsDiscarded.incrementAndGet(); // not a heartbeat: those carry no number of their own
            }
          }
        }).build());
    resources.add(writerConnection);
    Connection readerConnection = Nats.connect(quietPings(nats.url()).build());
    resources.add(readerConnection);
    RedissonClient writerRedis = RedisPubSubBusIT.client(servers.redis);
    resources.add(writerRedis::shutdown);
    TieredCache<String, String> writer = Nodes.node(NAMESPACE, "items", writerRedis,
        NatsInvalidationBus.of(writerConnection), source::get, H, D);
    resources.add(writer);
    RedissonClient readerRedis = RedisPubSubBusIT.client(servers.redis);
    resources.add(readerRedis::shutdown);
    TieredCache<String, String> reader = Nodes.node(NAMESPACE, "items", readerRedis,
        NatsInvalidationBus.of(readerConnection), source::get, H, D);
    resources.add(reader);
    Nodes.awaitTrusted(List.of(writer, reader), Duration.ofSeconds(10));
    assertThat(reader.get("k")).isEqualTo("v1");
    long sequenceGapsBefore = sequenceGaps(reader);
    Map<String, Long> gapsBefore = reader.coherence().gaps();

    nats.pause();
    try {
      // Fill the socket's buffers, then the outgoing queue, with messages nobody reads: until jnats discards and
      // its writer thread has written nothing for 200 ms (blocked on the full socket). A discard alone is not
      // enough: one publishing faster than the writer thread drains also fills the queue for a moment.
      byte[] filler = new byte[32 * 1024];
      assertTimeoutPreemptively(Duration.ofSeconds(30), () -> {
        long written = -1;
        long since = System.nanoTime();
        while (fillersDiscarded.get() == 0 || System.nanoTime() - since < TimeUnit.MILLISECONDS.toNanos(200)) {
          writerConnection.publish("natsdiscard.filler", filler);
          long now = writerConnection.getStatistics().getOutBytes();
          if (now != written) {
            written = now;
            since = System.nanoTime();
          }
        }
      }, "a publish on a connection that discards when full waited");
      // Write, one write per poll, until a write's invalidation is reported discarded (on jnats' callback thread).
      // A write that waited for the stopped server would time the condition out.
      AtomicInteger version = new AtomicInteger(1);
      Nodes.await().atMost(Duration.ofSeconds(30)).alias("a write's invalidation discarded, every write returning")
          .until(() -> {
            String value = "v" + version.incrementAndGet();
            source.put("k", value);
            writer.put("k", value);
            return invalidationsDiscarded.get() > 0;
          });
    } finally {
      nats.resume();
    }

    Nodes.await().atMost(Duration.ofSeconds(10)).alias("a sequence gap on the reader")
        .until(() -> sequenceGaps(reader) > sequenceGapsBefore);
    assertThat(raisedSince(gapsBefore, reader.coherence().gaps())).as("no gap but the missed invalidation's")
        .isSubsetOf("sequence", "heartbeat");
    Nodes.awaitTrusted(List.of(writer, reader), Duration.ofSeconds(10));
    assertThat(reader.get("k")).as("the reader missed an invalidation, saw the gap and flushed")
        .isEqualTo(source.get("k"));
    assertThat(reader.coherence().flushes()).isPositive();
  }

  private static Options.Builder quietPings(String url) {
    return Options.builder().server(url).pingInterval(Duration.ofSeconds(10)).reconnectBufferSize(0);
  }

  /** The reasons of the gaps raised since {@code before}. */
  private static Set<String> raisedSince(Map<String, Long> before, Map<String, Long> now) {
    Set<String> raised = new HashSet<>();
    now.forEach((reason, count) -> {
      if (count > before.getOrDefault(reason, 0L)) {
        raised.add(reason);
      }
    });
    return raised;
  }

  /** Gaps a node raised because a peer's numbering skipped: a missed message or a heartbeat ahead of it. */
  private static long sequenceGaps(TieredCache<String, String> node) {
    Map<String, Long> gaps = node.coherence().gaps();
    return gaps.getOrDefault("sequence", 0L) + gaps.getOrDefault("heartbeat", 0L);
  }

  private BusChannel channel(Connection connection) throws Exception {
    BusChannel channel = NatsInvalidationBus.of(connection).open(NAMESPACE, new BusListener() {
      @Override
      public void onMessage(byte[] message) {}

      @Override
      public void onGap(String reason) {}
    });
    resources.add(channel::close);
    channel.subscribed().toCompletableFuture().get(10, TimeUnit.SECONDS);
    return channel;
  }
}
