package io.lamina.quarkus.deployment;

import static org.assertj.core.api.Assertions.assertThat;

import io.lamina.quarkus.runtime.LaminaCaches;
import io.quarkus.arc.Arc;
import io.quarkus.cache.Cache;
import io.quarkus.cache.CacheName;
import io.quarkus.cache.CaffeineCache;
import io.quarkus.test.QuarkusUnitTest;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code quarkus.lamina.enabled=false}: the extension contributes nothing — no Lamina bean, no client, no health
 * check — and Quarkus' own cache serves the annotations; the Redis address given is never dialled.
 */
class DisabledTest {

  @RegisterExtension
  static final QuarkusUnitTest APP = new QuarkusUnitTest()
      .withApplicationRoot(jar -> jar.addClasses(Catalog.class, Catalog.Product.class))
      .overrideConfigKey("quarkus.lamina.enabled", "false")
      .overrideConfigKey("quarkus.lamina.redis.address", "redis://127.0.0.1:1");

  @Inject
  Catalog catalog;

  @Inject
  @CacheName("products")
  Cache products;

  @Test
  void noLaminaBean_andTheCaffeineCacheAnswers() {
    assertThat(Arc.container().instance(LaminaCaches.class).isAvailable()).isFalse();
    assertThat(Arc.container().select(HealthCheck.class).stream()
        .map(c -> c.getClass().getName())).noneMatch(n -> n.contains("lamina"));
    assertThat(products.as(CaffeineCache.class)).isNotNull();
    catalog.rows.put(1L, "one");
    catalog.find(1);
    catalog.find(1);
    assertThat(catalog.productLoads).hasValue(1);
  }
}
