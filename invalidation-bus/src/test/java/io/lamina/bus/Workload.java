package io.lamina.bus;

import static org.assertj.core.api.Assertions.assertThat;

import io.lamina.TierUnavailableException;
import io.lamina.TieredCache;
import io.lamina.TieredCacheConfig;
import io.lamina.ValueCodecs;
import io.lamina.redis.RedissonRemoteTier;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.awaitility.Awaitility;
import org.jspecify.annotations.Nullable;
import org.redisson.api.RedissonClient;

/**
 * Writers, readers and invalidators on a set of nodes sharing one source of truth whose values carry their
 * version. Every read is checked against the writes that had returned before it started: how long it was stale
 * is measured, and a read staler than the bound is a violation. {@link #assertConverged} then checks that every
 * node reads the source, that L2 holds the source or nothing, and that an L1 miss fills L2 with the source.
 */
final class Workload {

  private final int keys;
  private final Duration bound;
  /** Per key: version -> the time its write returned. */
  private final Map<String, ConcurrentSkipListMap<Long, Long>> written = new ConcurrentHashMap<>();
  private final Map<String, AtomicLong> source = new ConcurrentHashMap<>();
  private final AtomicLong reads = new AtomicLong();
  private final AtomicLong writes = new AtomicLong();
  private final AtomicLong violations = new AtomicLong();
  private final AtomicLong worstStalenessNanos = new AtomicLong();
  private volatile boolean writeThrough;
  private volatile boolean versionedPuts;
  private volatile int closedLoopReaders;
  private final AtomicLong failedWrites = new AtomicLong();
  private volatile long strictFrom = Long.MIN_VALUE;
  private final AtomicLong worstBeforeStrictNanos = new AtomicLong();

  Workload(int keys, Duration bound) {
    this.keys = keys;
    this.bound = bound;
  }

  /** The loader: the key's current value, {@code key@version}. */
  String load(String key) {
    return key + "@" + source.computeIfAbsent(key, k -> new AtomicLong()).get();
  }

  /**
   * Runs for {@code time}: one writer on each of the first two nodes (a write every 2 ms), a reader on every
   * node (every 0.2 ms), and an invalidator on random nodes (every 20 ms).
   */
  void run(List<TieredCache<String, String>> nodes, Duration time) throws Exception {
    nodesSeen.addAll(nodes);
    int readers = Math.max(1, closedLoopReaders);
    ExecutorService pool = Executors.newFixedThreadPool(nodes.size() * readers + 3);
    long end = System.nanoTime() + time.toNanos();
    List<Future<?>> work = new ArrayList<>();
    for (int w = 0; w < Math.min(2, nodes.size()); w++) {
      TieredCache<String, String> writer = nodes.get(w);
      work.add(pool.submit(() -> {
        while (System.nanoTime() < end) {
          write(writer, randomKey());
          LockSupport.parkNanos(2_000_000);
        }
        return null;
      }));
    }
    boolean closed = closedLoopReaders > 0;
    for (TieredCache<String, String> node : nodes) {
      for (int r = 0; r < readers; r++) {
        work.add(pool.submit(() -> {
          while (System.nanoTime() < end) {
            read(node, randomKey());
            if (!closed) {
              LockSupport.parkNanos(200_000);
            }
          }
          return null;
        }));
      }
    }
    work.add(pool.submit(() -> {
      while (System.nanoTime() < end) {
        try {
          nodes.get(ThreadLocalRandom.current().nextInt(nodes.size())).invalidate(randomKey());
        } catch (TierUnavailableException e) {
          failedWrites.incrementAndGet(); // L2 too slow or stopped: the cache repairs it, reads stay checked
        }
        LockSupport.parkNanos(20_000_000);
      }
      return null;
    }));
    try {
      for (Future<?> f : work) {
        f.get(time.toSeconds() + 60, TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdownNow();
    }
  }

  private String randomKey() {
    return "k" + ThreadLocalRandom.current().nextInt(keys);
  }

  /**
   * The writer of a write-through cache: stores {@code key@version} in the source. A write through such a cache
   * ({@link #writeThrough}) puts the next version; the writer is what moves the source on.
   */
  void writeToSource(String key, String value) {
    source.computeIfAbsent(key, k -> new AtomicLong()).set(Long.parseLong(value.substring(value.indexOf('@') + 1)));
  }

  /** Writes with {@code put} instead of source-then-invalidate: for caches writing through {@link #writeToSource}. */
  void writeThrough(boolean on) {
    this.writeThrough = on;
  }

  /**
   * Writes cache-aside with {@code put} of the new {@code key@version} after the source moved on (the cache must
   * be built with {@code versionOf}). A write whose L2 part fails (L2 slow or unreachable: the cache repairs it)
   * still completed a source write: it is recorded like any other, and counted in {@link #failedWrites()}.
   */
  void versionedPuts(boolean on) {
    this.versionedPuts = on;
  }

  /**
   * Runs {@code readersPerNode} readers on every node that read back to back, never pausing (closed loop), instead
   * of one paced reader: more busy threads than cores, so delivery threads are starved; 0 goes back to pacing.
   */
  void closedLoop(int readersPerNode) {
    this.closedLoopReaders = readersPerNode;
  }

  /**
   * Holds reads that start from {@code nanos} on (a {@link System#nanoTime()}) to the bound, and only measures the
   * ones before ({@link #worstBeforeStrict()}): for a fault whose own window the bound does not cover, such as the
   * writes a killed Redis master acknowledged and never replicated, until the nodes detect its failover.
   */
  void strictFrom(long nanos) {
    this.strictFrom = nanos;
  }

  /** The stalest read that started before {@link #strictFrom}. */
  Duration worstBeforeStrict() {
    return Duration.ofNanos(worstBeforeStrictNanos.get());
  }

  long failedWrites() {
    return failedWrites.get();
  }

  /**
   * A write: the source moves on, then the node invalidates (or, writing through, the node's put writes the
   * source); recorded when the call returns.
   */
  void write(TieredCache<String, String> node, String key) {
    long version;
    AtomicLong row = source.computeIfAbsent(key, k -> new AtomicLong());
    synchronized (row) {
      if (writeThrough) {
        version = row.get() + 1;
        node.put(key, key + "@" + version);
      } else if (versionedPuts) {
        version = row.incrementAndGet();
        try {
          node.put(key, key + "@" + version);
        } catch (TierUnavailableException e) {
          failedWrites.incrementAndGet();
        }
      } else {
        version = row.incrementAndGet();
        try {
          node.invalidate(key);
        } catch (TierUnavailableException e) {
          failedWrites.incrementAndGet(); // the source changed all the same: the read checks still apply
        }
      }
    }
    written.computeIfAbsent(key, k -> new ConcurrentSkipListMap<>()).put(version, System.nanoTime());
    writes.incrementAndGet();
  }

  private final List<TieredCache<String, String>> nodesSeen = new CopyOnWriteArrayList<>();

  private int nodeIndex(TieredCache<String, String> node) {
    return nodesSeen.indexOf(node);
  }

  /** A read, checked against the writes that had returned before it began. */
  void read(TieredCache<String, String> node, String key) {
    long start = System.nanoTime();
    String value = node.get(key);
    long version = Long.parseLong(value.substring(value.indexOf('@') + 1));
    reads.incrementAndGet();
    ConcurrentSkipListMap<Long, Long> versions = written.get(key);
    if (versions == null) {
      return;
    }
    for (Map.Entry<Long, Long> newer : versions.tailMap(version, false).entrySet()) {
      long staleFor = start - newer.getValue();
      if (staleFor > 0 && start < strictFrom) {
        worstBeforeStrictNanos.accumulateAndGet(staleFor, Math::max);
        return;
      }
      if (staleFor > 0) {
        worstStalenessNanos.accumulateAndGet(staleFor, Math::max);
        if (staleFor > bound.toNanos() && violations.incrementAndGet() <= 5) {
          System.out.printf("stale read: node %d read %s (source moved to %d %d ms before the read began)%n",
              nodeIndex(node), value, newer.getKey(), staleFor / 1_000_000);
        }
        return;
      }
    }
  }

  /**
   * Every key: L2 holds the truth (or a tombstone before anyone read it), every node reads the truth within the
   * bound (the last invalidations may still be in flight), and afterwards L2 holds the truth.
   */
  void assertConverged(List<TieredCache<String, String>> nodes, RedissonClient inspector, String namespace,
      String cache) {
    for (int k = 0; k < keys; k++) {
      String key = "k" + k;
      String truth = load(key);
      assertThat(l2(inspector, namespace, cache, key)).as("L2 of %s: the truth or a tombstone", key)
          .isIn(truth, null);
      for (TieredCache<String, String> node : nodes) {
        Awaitility.await().atMost(bound).pollInterval(Duration.ofMillis(5)).until(() -> truth.equals(node.get(key)));
      }
      // The nodes may serve the truth from L1 over an L2 tombstone (a repair that landed while their breaker still
      // sent reads to the source): an L1 miss must then fill L2 with the truth — no fence or lease may stop it.
      // A fill is not repaired when its one L2 call fails (right after a resharding, a slot's owner may still be
      // changing hands for the fresh client), so a node with an empty L1 reads through again until it lands; a
      // fence or lease that stopped every fill would still fail here, at the bound.
      Awaitility.await().atMost(bound).pollInterval(Duration.ofMillis(50)).untilAsserted(() -> {
        assertThat(readThroughEmptyL1(inspector, namespace, cache, key)).as("%s read by a node with an empty L1", key)
            .isEqualTo(truth);
        assertThat(l2(inspector, namespace, cache, key)).as("L2 of %s after a read through it", key).isEqualTo(truth);
      });
    }
  }

  /** {@code key} read by a new node with an empty L1 and this workload's loader. */
  private @Nullable String readThroughEmptyL1(RedissonClient inspector, String namespace, String cache,
      String key) {
    try (TieredCache<String, String> newNode = TieredCache.<String, String>newBuilder(cache)
        .config(TieredCacheConfig.custom().namespace(namespace).build())
        .remote(RedissonRemoteTier.of(inspector))
        .valueCodec(ValueCodecs.utf8())
        .loader(this::load)
        .build()) {
      return newNode.get(key);
    }
  }

  /** What L2 holds for {@code key}, read by a node with an empty L1 and no loader. */
  private static @Nullable String l2(RedissonClient inspector, String namespace, String cache, String key) {
    try (TieredCache<String, String> l2Only = TieredCache.<String, String>newBuilder(cache)
        .config(TieredCacheConfig.custom().namespace(namespace).build())
        .remote(RedissonRemoteTier.of(inspector))
        .valueCodec(ValueCodecs.utf8())
        .build()) {
      return l2Only.getIfPresent(key);
    }
  }

  long reads() {
    return reads.get();
  }

  long writes() {
    return writes.get();
  }

  /** Reads staler than the bound. */
  long violations() {
    return violations.get();
  }

  Duration worstStaleness() {
    return Duration.ofNanos(worstStalenessNanos.get());
  }

  @Override
  public String toString() {
    return String.format("%d reads, %d writes, worst staleness %d ms, %d reads staler than %d ms", reads(), writes(),
        worstStaleness().toMillis(), violations(), bound.toMillis());
  }
}
