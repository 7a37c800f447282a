package io.lamina.spring.autoconfigure;

import io.lamina.micrometer.TieredCacheMetrics;
import io.lamina.spring.LaminaCaches;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.MeterBinder;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Micrometer meters for every cache ({@link TieredCacheMetrics}: {@code cache.gets}, {@code cache.puts},
 * {@code cache.evictions}, {@code cache.size} tagged {@code tier=l1|l2}, and {@code lamina.*}). Boot binds the
 * binder to its registry once the registry is ready; caches built later are bound when they are built. Plus
 * {@code lamina.caches.refused}: new cache names refused by {@code lamina.max-dynamic-caches}.
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
}
