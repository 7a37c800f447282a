package io.lamina.benchmarks.jmh;

import com.sun.management.ThreadMXBean;
import io.lamina.TieredCache;
import io.lamina.TieredCacheConfig;
import java.lang.management.ManagementFactory;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Bytes the calling thread allocates per L1 hit of {@link TieredCache} (L1 only), read from the thread's own
 * allocation counter around a loop of hits. JMH's {@code -prof gc} counts every thread of the JVM, Caffeine's
 * maintenance thread included; this isolates the hit path itself. The loop runs after a warm-up of the same
 * length, whether or not the JIT has compiled it by then: interpreted code has no escape analysis, so a figure
 * of 0 holds with or without it.
 */
public final class CallerAllocation {

  private CallerAllocation() {}

  /** Bytes per hit on the calling thread, by operation ({@code get}, {@code getIfPresent}), over {@code hits}. */
  public static Map<String, Double> bytesPerHit(int entries, int hits) {
    ThreadMXBean threads = (ThreadMXBean) ManagementFactory.getThreadMXBean();
    Long[] universe = Keys.universe(entries);
    Long[] sequence = Keys.sequence(universe, "uniform", 42);
    Map<String, Double> perHit = new LinkedHashMap<>();
    try (TieredCache<Long, String> cache = TieredCache.<Long, String>newBuilder("l1-caller")
        .config(TieredCacheConfig.custom().l1MaximumSize(2L * entries).build())
        .build()) {
      for (Long k : universe) {
        cache.get(k, L1HitBenchmark.LAMINA_LOADER);
      }
      long missesBefore = cache.stats().l1().misses();
      for (String op : new String[] {"get", "getIfPresent"}) {
        hits(cache, op, sequence, hits); // warm-up: the read buffers, the JIT
        long before = threads.getCurrentThreadAllocatedBytes();
        int found = hits(cache, op, sequence, hits);
        long allocated = threads.getCurrentThreadAllocatedBytes() - before;
        if (found != hits) {
          throw new IllegalStateException(op + ": " + (hits - found) + " reads of loaded keys missed");
        }
        perHit.put(op, allocated / (double) hits);
      }
      if (cache.stats().l1().misses() != missesBefore) {
        throw new IllegalStateException("reads of loaded keys were not L1 hits: " + cache.stats());
      }
    }
    return perHit;
  }

  private static int hits(TieredCache<Long, String> cache, String op, Long[] sequence, int hits) {
    boolean get = op.equals("get");
    int found = 0;
    for (int i = 0; i < hits; i++) {
      Long key = sequence[i & (Keys.SEQUENCE - 1)];
      String v = get ? cache.get(key, L1HitBenchmark.LAMINA_LOADER) : cache.getIfPresent(key);
      if (v != null) {
        found++;
      }
    }
    return found;
  }
}
