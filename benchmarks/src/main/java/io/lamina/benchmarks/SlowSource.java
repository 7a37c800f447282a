package io.lamina.benchmarks;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;

/**
 * A source of truth that takes a fixed time per call (parked, not spinning), counts calls per key and remembers
 * when each call started, so that calls made by one refill of a key can be told from the next refill's.
 */
public final class SlowSource {

  private final long latencyNanos;
  private final Map<String, LongAdder> calls = new ConcurrentHashMap<>();
  private final LongAdder total = new LongAdder();
  private final List<Long> startedAt = new ArrayList<>();

  public SlowSource(Duration latency) {
    this.latencyNanos = latency.toNanos();
  }

  /** Loads {@code key}: waits the source's latency, counts the call, returns a value naming the call. */
  public String load(String key) {
    long start = System.nanoTime();
    synchronized (startedAt) {
      startedAt.add(start);
    }
    LockSupport.parkNanos(latencyNanos);
    LongAdder c = calls.computeIfAbsent(key, k -> new LongAdder());
    c.increment();
    total.increment();
    return "v-" + key + "-" + c.sum();
  }

  /** Calls for {@code key} so far. */
  public long calls(String key) {
    LongAdder c = calls.get(key);
    return c == null ? 0 : c.sum();
  }

  /** Calls for every key so far. */
  public long total() {
    return total.sum();
  }

  /** Calls started so far (a mark for {@link #bursts}). */
  public int started() {
    synchronized (startedAt) {
      return startedAt.size();
    }
  }

  /**
   * The calls started since mark {@code from}, grouped into bursts: a call that starts more than {@code quiet}
   * after the previous one opens a new burst. Returns the number of calls in each burst, in time order.
   */
  public List<Integer> bursts(int from, Duration quiet) {
    long[] times;
    synchronized (startedAt) {
      times = startedAt.subList(from, startedAt.size()).stream().mapToLong(Long::longValue).toArray();
    }
    Arrays.sort(times);
    List<Integer> bursts = new ArrayList<>();
    for (int i = 0; i < times.length; i++) {
      if (i == 0 || times[i] - times[i - 1] > quiet.toNanos()) {
        bursts.add(0);
      }
      bursts.set(bursts.size() - 1, bursts.get(bursts.size() - 1) + 1);
    }
    return bursts;
  }
}
