package io.lamina.quarkus.runtime.metrics;

import io.lamina.micrometer.TieredCacheMetrics;
import io.lamina.quarkus.LaminaCache;
import io.lamina.quarkus.runtime.LaminaCaches;
import io.lamina.quarkus.runtime.LaminaWarmups;
import io.lamina.warming.WarmingMetrics;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.quarkus.cache.CacheManager;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * Binds every Lamina cache's meters ({@code cache.gets}, {@code cache.puts}, {@code cache.evictions},
 * {@code cache.size} tagged {@code tier=l1|l2}, and {@code lamina.*}; see {@code TieredCacheMetrics}) to the
 * application's registry at start-up, after Quarkus' cache manager has built the caches; and the
 * {@code lamina.warming.*} meters of each warm-up and hot-key refresher (see {@code WarmingMetrics}).
 */
@ApplicationScoped
public class LaminaMeterBinder {

  void bind(@Observes StartupEvent event, CacheManager manager, LaminaCaches caches, LaminaWarmups warmups,
      MeterRegistry registry) {
    manager.getCacheNames(); // the caches exist once the manager does
    for (String name : caches.names()) {
      LaminaCache cache = caches.get(name);
      if (cache != null) {
        new TieredCacheMetrics(cache.tiered(), Tags.empty()).bindTo(registry);
      }
    }
    warmups.onStart(w -> WarmingMetrics.bind(w, registry), r -> WarmingMetrics.bind(r, registry));
  }
}
