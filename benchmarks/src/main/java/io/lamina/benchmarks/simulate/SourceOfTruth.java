package io.lamina.benchmarks.simulate;

import io.lamina.benchmarks.Product;
import java.time.Duration;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import java.util.function.LongConsumer;

/**
 * A simulated database: every row has a version; a read or write takes a log-normal time around its median
 * (parked, never spinning). It remembers when each version's write finished — the source commit and the cache
 * invalidation both done — so that a read can be judged stale: it started after a newer version was complete,
 * yet returned an older one.
 */
public final class SourceOfTruth {

  private final AtomicLongArray versions;
  private final Object[] locks;
  private final Map<Long, ConcurrentSkipListMap<Long, Long>> completed = new ConcurrentHashMap<>();
  private final long readNanos;
  private final long writeNanos;
  private final LongAdder reads = new LongAdder();
  private final LongAdder writes = new LongAdder();
  private final AtomicLong seed = new AtomicLong(17);
  private final ThreadLocal<SplittableRandom> random = ThreadLocal.withInitial(
      () -> new SplittableRandom(seed.incrementAndGet()));

  /** A source of {@code rows} rows whose reads and writes take about {@code read} and {@code write}. */
  public SourceOfTruth(int rows, Duration read, Duration write) {
    versions = new AtomicLongArray(rows);
    locks = new Object[rows];
    for (int i = 0; i < rows; i++) {
      locks[i] = new Object();
    }
    readNanos = read.toNanos();
    writeNanos = write.toNanos();
  }

  /** Reads a row (a source call). */
  public Product read(long key) {
    pause(readNanos);
    reads.increment();
    return Product.of(key, versions.get((int) key));
  }

  /**
   * Writes a row, then runs {@code cacheWrite} with the new version (the cache's part of the write) under the
   * row's lock, so that a row's versions complete in order; records when the whole write completed.
   */
  public void write(long key, LongConsumer cacheWrite) {
    synchronized (locks[(int) key]) {
      pause(writeNanos);
      long version = versions.incrementAndGet((int) key);
      cacheWrite.accept(version);
      completed.computeIfAbsent(key, k -> new ConcurrentSkipListMap<>()).put(version, System.nanoTime());
      writes.increment();
    }
  }

  /**
   * How stale a read of {@code key} that started at {@code startNanos} and returned {@code version} is: the
   * nanoseconds since the first newer version completed, or -1 if the read was current.
   */
  public long staleness(long key, long version, long startNanos) {
    ConcurrentSkipListMap<Long, Long> done = completed.get(key);
    if (done == null) {
      return -1;
    }
    Map.Entry<Long, Long> newer = done.higherEntry(version);
    if (newer == null || newer.getValue() - startNanos >= 0) {
      return -1;
    }
    return startNanos - newer.getValue();
  }

  /** Source reads so far. */
  public long reads() {
    return reads.sum();
  }

  /** Source writes so far. */
  public long writes() {
    return writes.sum();
  }

  private void pause(long median) {
    double factor = Math.exp(0.5 * random.get().nextGaussian());
    LockSupport.parkNanos((long) (median * factor));
  }
}
