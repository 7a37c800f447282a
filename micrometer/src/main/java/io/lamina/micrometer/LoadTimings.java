package io.lamina.micrometer;

import io.lamina.TieredCacheListener;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.TimeUnit;

/** Times each load in {@link TieredCacheMetrics#LOAD_TIMER}; see {@link TieredCacheMetrics#loadTimings}. */
final class LoadTimings implements TieredCacheListener {

  private final MeterRegistry registry;
  private final Tags tags;
  // Keyed by cache name alone, one map per result: finding a timer builds no key.
  private final ConcurrentMap<String, Timer> succeeded = new ConcurrentHashMap<>();
  private final ConcurrentMap<String, Timer> failed = new ConcurrentHashMap<>();

  LoadTimings(MeterRegistry registry, Tags tags) {
    this.registry = registry;
    this.tags = tags;
  }

  @Override
  public void onLoadSuccess(String cacheName, long durationNanos) {
    timer(succeeded, cacheName, "success").record(durationNanos, TimeUnit.NANOSECONDS);
  }

  @Override
  public void onLoadFailure(String cacheName, long durationNanos, Throwable error) {
    timer(failed, cacheName, "failure").record(durationNanos, TimeUnit.NANOSECONDS);
  }

  private Timer timer(ConcurrentMap<String, Timer> timers, String cacheName, String result) {
    Timer timer = timers.get(cacheName);
    return timer != null ? timer : timers.computeIfAbsent(cacheName, c -> Timer.builder(TieredCacheMetrics.LOAD_TIMER)
        .tags(tags).tag("cache", c).tag("result", result)
        .description("Time spent in the loader, per load")
        .publishPercentileHistogram()
        .minimumExpectedValue(Duration.ofMillis(1))
        .maximumExpectedValue(Duration.ofSeconds(30))
        .register(registry));
  }
}
