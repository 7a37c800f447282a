package io.lamina.examples.catalog;

import io.lamina.spring.LaminaCacheCustomizer;
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
}
