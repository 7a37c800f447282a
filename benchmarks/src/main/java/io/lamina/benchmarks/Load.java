package io.lamina.benchmarks;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/** Closed-loop load: latency measured op by op, systems interleaved so they share the machine's noise. */
public final class Load {

  /** One operation of a system under test; {@code random} is the calling thread's own. */
  @FunctionalInterface
  public interface Op {
    void run(SplittableRandom random) throws Exception;
  }

  private Load() {}

  /**
   * Measures each system's latency, one caller, {@code perSystem} operations each, taken in turns of
   * {@code block} operations (A, B, C, A, B, C, …) so that a noisy moment hurts all systems alike.
   */
  public static Map<String, Latency> interleaved(Map<String, Op> systems, int perSystem, int block, long seed)
      throws Exception {
    Map<String, Latency> out = new LinkedHashMap<>();
    systems.keySet().forEach(k -> out.put(k, new Latency()));
    SplittableRandom random = new SplittableRandom(seed);
    for (int done = 0; done < perSystem; done += block) {
      int n = Math.min(block, perSystem - done);
      for (Map.Entry<String, Op> s : systems.entrySet()) {
        Latency latency = out.computeIfAbsent(s.getKey(), k -> new Latency());
        for (int i = 0; i < n; i++) {
          long start = System.nanoTime();
          s.getValue().run(random);
          latency.record(System.nanoTime() - start);
        }
      }
    }
    return out;
  }

  /** Runs {@code op} {@code ops} times, unmeasured (JIT, connection pools, caches). */
  public static void warm(Op op, int ops, long seed) throws Exception {
    SplittableRandom random = new SplittableRandom(seed);
    for (int i = 0; i < ops; i++) {
      op.run(random);
    }
  }

  /** Operations per second of {@code threads} closed-loop callers running {@code op} for {@code window}. */
  public static double throughput(Op op, int threads, Duration window) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      AtomicLong count = new AtomicLong();
      long start = System.nanoTime();
      long end = start + window.toNanos();
      List<Future<?>> work = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        long seed = 31L * t + 7;
        work.add(pool.submit(() -> {
          SplittableRandom random = new SplittableRandom(seed);
          long n = 0;
          while (System.nanoTime() < end) {
            op.run(random);
            n++;
          }
          count.addAndGet(n);
          return null;
        }));
      }
      for (Future<?> f : work) {
        f.get(window.toMillis() + 60_000, TimeUnit.MILLISECONDS);
      }
      return count.get() * 1e9 / (System.nanoTime() - start);
    } finally {
      pool.shutdownNow();
    }
  }
}
