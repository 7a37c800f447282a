package io.lamina.spring.autoconfigure;

import io.lamina.TieredCacheListener;
import io.lamina.micrometer.TieredCacheMetrics;
import io.lamina.spring.LaminaCacheCustomizer;
import io.lamina.spring.LaminaCaches;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.MeterBinder;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;

/**
 * Micrometer meters for every cache ({@link TieredCacheMetrics}: {@code cache.gets}, {@code cache.puts},
 * {@code cache.evictions}, {@code cache.size} tagged {@code tier=l1|l2}, and {@code lamina.*}). Boot binds the
 * binder to its registry once the registry is ready; caches built later are bound when they are built. With a
 * registry, every cache also gets {@link TieredCacheMetrics#timings} as its listener: the load time
 * ({@code cache.load.duration}) and L2 latency ({@code lamina.l2.latency}) histograms.
 * Plus {@code lamina.caches.refused}: new cache names refused by {@code lamina.max-dynamic-caches}.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnClass({MeterRegistry.class, TieredCacheMetrics.class})
class MetricsConfiguration {

  @Bean
  MeterBinder laminaCacheMetrics(LaminaCaches caches) {
    return registry -> {
      FunctionCounter.builder("lamina.caches.refused", caches, LaminaCaches::refusedCaches)
          .description("New cache names refused because lamina.max-dynamic-caches was reached")
          .register(registry);
      caches.onCreate(cache -> new TieredCacheMetrics(cache, Tags.empty()).bindTo(registry));
    };
  }

  /**
   * Runs last (after the application's customizers, which are registered first at the same order), so a listener
   * the application gives a cache is kept: the timings pass every event on to it.
   */
  @Bean
  @Order(Ordered.LOWEST_PRECEDENCE)
  LaminaCacheCustomizer laminaCacheTimings(ObjectProvider<MeterRegistry> registry) {
    return cache -> {
      MeterRegistry meters = registry.getIfAvailable();
      if (meters != null) {
        TieredCacheListener own = cache.listener();
        cache.listener(TieredCacheMetrics.timings(meters, Tags.empty(),
            own != null ? own : TieredCacheListener.NO_OP));
      }
    };
  }
}
