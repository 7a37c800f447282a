package io.lamina.bus;

import static org.assertj.core.api.Assertions.assertThat;

import io.lamina.TieredCache;
import io.lamina.TieredCacheConfig;
import io.lamina.ValueCodecs;
import io.lamina.redis.RedissonRemoteTier;
import io.lamina.testkit.server.NatsServer;
import io.lamina.testkit.server.RedisServer;
import io.nats.client.Connection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.redisson.api.RedissonClient;

/**
 * Writers, readers and invalidators on three nodes for 30 seconds over NATS and Redis. Every read is checked
 * against the writes that had returned before it started: a read older than a write that returned more than
 * {@link #STALE_BOUND} earlier is a violation. Afterwards every node's read equals L2 equals the source.
 */
class SoakIT {

  private static final Duration RUN = Duration.ofSeconds(Integer.getInteger("lamina.soak.seconds", 30));
  private static final Duration STALE_BOUND = Duration.ofSeconds(2);
  private static final int KEYS = 50;

  /** Per key: version -> the ticker time its write returned. */
  private final Map<String, ConcurrentSkipListMap<Long, Long>> written = new ConcurrentHashMap<>();
  private final Map<String, AtomicLong> source = new ConcurrentHashMap<>();
  private final AtomicLong reads = new AtomicLong();
  private final AtomicLong writes = new AtomicLong();
  private final AtomicLong violations = new AtomicLong();
  private final AtomicLong worstStalenessNanos = new AtomicLong();

  private String load(String key) {
    return key + "@" + source.computeIfAbsent(key, k -> new AtomicLong()).get();
  }

  @Test
  @Timeout(180)
  void threeNodes_underLoad_stayCoherent_andConverge() throws Exception {
    try (RedisServer redis = RedisServer.start(); NatsServer nats = NatsServer.start(false)) {
      List<AutoCloseable> closing = new ArrayList<>();
      List<TieredCache<String, String>> nodes = new ArrayList<>();
      for (int i = 0; i < 3; i++) {
        RedissonClient client = RedisPubSubBusIT.client(redis);
        Connection connection = NatsInvalidationBus.connect(nats.url());
        closing.add(client::shutdown);
        closing.add(connection::close);
        nodes.add(Nodes.node("soak", "soak", client, NatsInvalidationBus.of(connection), this::load,
            Duration.ofMillis(200), Duration.ofSeconds(1)));
      }
      Nodes.awaitTrusted(nodes, Duration.ofSeconds(10));
      ExecutorService pool = Executors.newFixedThreadPool(7);
      long end = System.nanoTime() + RUN.toNanos();
      List<Future<?>> work = new ArrayList<>();
      for (int w = 0; w < 2; w++) {
        int writer = w;
        work.add(pool.submit(() -> {
          while (System.nanoTime() < end) {
            String key = "k" + ThreadLocalRandom.current().nextInt(KEYS);
            long version;
            synchronized (source.computeIfAbsent(key, k -> new AtomicLong())) {
              version = source.get(key).incrementAndGet();
              nodes.get(writer).invalidate(key);
            }
            written.computeIfAbsent(key, k -> new ConcurrentSkipListMap<>()).put(version, System.nanoTime());
            writes.incrementAndGet();
            LockSupport.parkNanos(2_000_000);
          }
          return null;
        }));
      }
      for (TieredCache<String, String> node : nodes) {
        work.add(pool.submit(() -> {
          while (System.nanoTime() < end) {
            String key = "k" + ThreadLocalRandom.current().nextInt(KEYS);
            long start = System.nanoTime();
            String value = node.get(key);
            check(key, Long.parseLong(value.substring(value.indexOf('@') + 1)), start);
            reads.incrementAndGet();
            LockSupport.parkNanos(200_000);
          }
          return null;
        }));
      }
      work.add(pool.submit(() -> {
        while (System.nanoTime() < end) {
          nodes.get(ThreadLocalRandom.current().nextInt(3)).invalidate("k" + ThreadLocalRandom.current().nextInt(KEYS));
          LockSupport.parkNanos(20_000_000);
        }
        return null;
      }));
      for (Future<?> f : work) {
        f.get(RUN.toSeconds() + 60, TimeUnit.SECONDS);
      }
      pool.shutdown();
      RedissonClient inspector = RedisPubSubBusIT.client(redis);
      closing.add(inspector::shutdown);
      TieredCache<String, String> l2Only = TieredCache.<String, String>newBuilder("soak") // a fresh, empty L1
          .config(TieredCacheConfig.custom().namespace("soak").build())
          .remote(RedissonRemoteTier.of(inspector))
          .valueCodec(ValueCodecs.utf8())
          .build();
      for (int k = 0; k < KEYS; k++) {
        String key = "k" + k;
        String truth = load(key);
        assertThat(l2Only.getIfPresent(key)).as("L2 of %s: the truth or a tombstone", key).isIn(truth, null);
        for (TieredCache<String, String> node : nodes) {
          // The last invalidations may still be in flight: each node must agree within the staleness bound.
          org.awaitility.Awaitility.await().atMost(STALE_BOUND).pollInterval(Duration.ofMillis(5))
              .until(() -> truth.equals(node.get(key)));
        }
        assertThat(l2Only.getIfPresent(key)).as("L2 of %s after the reads", key).isEqualTo(truth);
      }
      l2Only.close();
      System.out.printf("soak %ds: %d reads, %d writes, worst staleness %d ms, violations %d, gaps %s%n",
          RUN.toSeconds(), reads.get(), writes.get(), worstStalenessNanos.get() / 1_000_000, violations.get(),
          nodes.get(1).coherence().gaps());
      nodes.forEach(TieredCache::close);
      for (AutoCloseable c : closing) {
        c.close();
      }
      assertThat(violations.get()).as("reads staler than %s", STALE_BOUND).isZero();
      assertThat(reads.get()).isGreaterThan(1000);
    }
  }

  /** Compares a read with the writes that had returned before the read began. */
  private void check(String key, long version, long readStart) {
    ConcurrentSkipListMap<Long, Long> versions = written.get(key);
    if (versions == null) {
      return;
    }
    for (Map.Entry<Long, Long> newer : versions.tailMap(version, false).entrySet()) {
      long staleFor = readStart - newer.getValue();
      if (staleFor > 0) {
        worstStalenessNanos.accumulateAndGet(staleFor, Math::max);
        if (staleFor > STALE_BOUND.toNanos()) {
          violations.incrementAndGet();
        }
        return;
      }
    }
  }
}
