package io.lamina.benchmarks;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;

/** A source of truth that takes a fixed time per call (parked, not spinning) and counts calls per key. */
public final class SlowSource {

  private final long latencyNanos;
  private final Map<String, LongAdder> calls = new ConcurrentHashMap<>();
  private final LongAdder total = new LongAdder();

  public SlowSource(Duration latency) {
    this.latencyNanos = latency.toNanos();
  }

  /** Loads {@code key}: waits the source's latency, counts the call, returns a value naming the call. */
  public String load(String key) {
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
}
