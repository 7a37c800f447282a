package io.lamina.quarkus.runtime.metrics;

import io.lamina.TieredCacheListener;
import io.lamina.micrometer.TieredCacheMetrics;
import io.lamina.quarkus.runtime.CacheListeners;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import jakarta.inject.Singleton;

/**
 * Gives every Lamina cache {@link TieredCacheMetrics#timings} as its listener, around the one a customizer gave
 * it: the load time ({@code cache.load.duration}) and L2 latency ({@code lamina.l2.latency}) histograms, which
 * only a listener can record.
 */
@Singleton
public class LaminaTimings implements CacheListeners {

  private final MeterRegistry registry;

  LaminaTimings(MeterRegistry registry) {
    this.registry = registry;
  }

  @Override
  public TieredCacheListener around(String cacheName, TieredCacheListener own) {
    return TieredCacheMetrics.timings(registry, Tags.empty(), own);
  }
}
