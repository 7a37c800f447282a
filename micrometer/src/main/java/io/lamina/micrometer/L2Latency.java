package io.lamina.micrometer;

import io.lamina.TieredCacheListener;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.TimeUnit;

/**
 * Times each call to the remote tier in {@link TieredCacheMetrics#L2_LATENCY}; see
 * {@link TieredCacheMetrics#l2Latency}. It runs on every L2 call, so a recorded call costs two map reads and no
 * allocation: timers are kept per cache, then per operation and outcome (core passes its operations as constants).
 */
final class L2Latency implements TieredCacheListener {

  /** A loopback Redis answers in tens of microseconds; a call ends at the remote timeout (1 s by default). */
  static final Duration MIN_EXPECTED = Duration.ofNanos(100_000);
  static final Duration MAX_EXPECTED = Duration.ofSeconds(5);

  private final MeterRegistry registry;
  private final Tags tags;
  private final ConcurrentMap<String, CacheTimers> caches = new ConcurrentHashMap<>();

  L2Latency(MeterRegistry registry, Tags tags) {
    this.registry = registry;
    this.tags = tags;
  }

  @Override
  public void onRemoteCall(String cacheName, String operation, long durationNanos, boolean success) {
    CacheTimers timers = caches.get(cacheName);
    if (timers == null) {
      timers = caches.computeIfAbsent(cacheName, CacheTimers::new);
    }
    timers.timer(operation, success).record(durationNanos, TimeUnit.NANOSECONDS);
  }

  /** One cache's timers, by operation. */
  private final class CacheTimers {
    private final String cache;
    private final ConcurrentMap<String, Timer> succeeded = new ConcurrentHashMap<>();
    private final ConcurrentMap<String, Timer> failed = new ConcurrentHashMap<>();

    CacheTimers(String cache) {
      this.cache = cache;
    }

    Timer timer(String operation, boolean success) {
      ConcurrentMap<String, Timer> timers = success ? succeeded : failed;
      Timer timer = timers.get(operation);
      return timer != null ? timer : timers.computeIfAbsent(operation, op -> register(op, success));
    }

    private Timer register(String operation, boolean success) {
      return Timer.builder(TieredCacheMetrics.L2_LATENCY)
          .tags(tags).tag("cache", cache).tag("operation", operation).tag("result", success ? "success" : "failure")
          .description("Time of one call to the remote tier (L2), from sending it to its answer, failure or"
              + " timeout")
          .publishPercentileHistogram()
          .minimumExpectedValue(MIN_EXPECTED)
          .maximumExpectedValue(MAX_EXPECTED)
          .register(registry);
    }
  }
}
