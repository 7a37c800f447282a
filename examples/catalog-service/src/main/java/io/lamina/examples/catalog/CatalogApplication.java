package io.lamina.examples.catalog;

import io.lamina.TieredCacheListener;
import io.lamina.micrometer.TieredCacheMetrics;
import io.lamina.spring.LaminaCacheCustomizer;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.cache.annotation.EnableCaching;
import org.springframework.context.annotation.Bean;

/**
 * The catalog service. Without {@code spring.datasource.url} it starts an embedded PostgreSQL (see
 * {@link EmbeddedDatabaseConfiguration}); without {@code lamina.redis.address} its caches stay local.
 */
@SpringBootApplication
@EnableCaching
public class CatalogApplication {

  public static void main(String[] args) {
    SpringApplication.run(CatalogApplication.class, args);
  }

  /**
   * Products carry their row version, so a {@code @CachePut} stores the saved row in Redis under that version:
   * a put of an older version can never replace a newer one, and the other instances read it from Redis.
   */
  @Bean
  LaminaCacheCustomizer productVersions() {
    return cache -> {
      if (cache.name().equals(ProductService.PRODUCTS)) {
        cache.versionOf(value -> ((Product) value).version());
      }
    };
  }

  /** Every load timed in {@code cache.load.duration}, with a histogram for load-time percentiles. */
  @Bean
  LaminaCacheCustomizer loadTimings(MeterRegistry registry) {
    TieredCacheListener timings = TieredCacheMetrics.loadTimings(registry, Tags.empty());
    return cache -> cache.listener(timings);
  }
}
