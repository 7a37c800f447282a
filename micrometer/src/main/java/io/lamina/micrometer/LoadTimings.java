package io.lamina.micrometer;

import io.lamina.TieredCacheListener;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/** Times each load in {@link TieredCacheMetrics#LOAD_TIMER}; see {@link TieredCacheMetrics#loadTimings}. */
final class LoadTimings implements TieredCacheListener {

  private final MeterRegistry registry;
  private final Tags tags;
  private final Map<String, Timer> timers = new ConcurrentHashMap<>();

  LoadTimings(MeterRegistry registry, Tags tags) {
    this.registry = registry;
    this.tags = tags;
  }

  @Override
  public void onLoadSuccess(String cacheName, long durationNanos) {
    timer(cacheName, "success").record(durationNanos, TimeUnit.NANOSECONDS);
  }

  @Override
  public void onLoadFailure(String cacheName, long durationNanos, Throwable error) {
    timer(cacheName, "failure").record(durationNanos, TimeUnit.NANOSECONDS);
  }

  private Timer timer(String cacheName, String result) {
    return timers.computeIfAbsent(cacheName + '\u0000' + result, k -> Timer.builder(TieredCacheMetrics.LOAD_TIMER)
        .tags(tags).tag("cache", cacheName).tag("result", result)
        .description("Time spent in the loader, per load")
        .publishPercentileHistogram()
        .minimumExpectedValue(Duration.ofMillis(1))
        .maximumExpectedValue(Duration.ofSeconds(30))
        .register(registry));
  }
}
