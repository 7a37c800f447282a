package io.lamina.quarkus.deployment;

import static org.assertj.core.api.Assertions.assertThat;

import io.lamina.TieredCacheListener;
import io.lamina.quarkus.LaminaCache;
import io.lamina.quarkus.LaminaCacheCustomizer;
import io.lamina.quarkus.LaminaCacheSettings;
import io.lamina.quarkus.deployment.Catalog.Product;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quarkus.cache.Cache;
import io.quarkus.cache.CacheName;
import io.quarkus.cache.CompositeCacheKey;
import io.quarkus.test.QuarkusUnitTest;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@link LaminaCacheCustomizer} beans run for every Lamina cache the extension builds, after the properties: a
 * {@code versionOf} makes {@code put} store the value (without one, {@code put} only invalidates), a
 * {@code ttlOf} sets how long Redis keeps it, a listener hears the cache's loads (and the extension's load timer
 * still times them), and a configuration change overrides the property. On real Redis.
 */
@ExtendWith(TestServers.Required.class)
class CustomizerIT {

  @RegisterExtension
  static final QuarkusUnitTest APP = new QuarkusUnitTest()
      .withApplicationRoot(jar -> jar.addClasses(Catalog.class, Product.class, TestServers.class,
          VersionedProducts.class))
      .overrideConfigKey("quarkus.cache.type", "lamina")
      .overrideConfigKey("quarkus.lamina.namespace", "customizer")
      .overrideConfigKey("quarkus.lamina.redis.address", TestServers.redisUrl())
      .overrideConfigKey("quarkus.lamina.caches.products.negative-ttl", "1m");

  /** A product's own time to live: well under the default l2.ttl (1 h), so Redis' TTL tells them apart. */
  static final Duration PRODUCT_TTL = Duration.ofMinutes(10);

  /** Gives "products" the source's version of a value, its TTL and a listener; records every cache it saw. */
  @Singleton
  public static class VersionedProducts implements LaminaCacheCustomizer {

    final List<String> customized = new CopyOnWriteArrayList<>();
    final List<String> loads = new CopyOnWriteArrayList<>();

    @Override
    public void customize(LaminaCacheSettings cache) {
      customized.add(cache.name());
      if (cache.name().equals("products")) {
        cache.versionOf(value -> ((Product) value).id() * 10);
        cache.ttlOf(value -> PRODUCT_TTL);
        cache.listener(new TieredCacheListener() {
          @Override
          public void onLoadSuccess(String cacheName, long durationNanos) {
            loads.add(cacheName);
          }
        });
        cache.config().negativeTtl(Duration.ofSeconds(7));
      }
    }
  }

  @Inject
  Catalog catalog;

  @Inject
  VersionedProducts customizer;

  @Inject
  @CacheName("products")
  Cache products;

  @Inject
  @CacheName("prices")
  Cache prices;

  @Test
  void everyLaminaCacheIsCustomized() {
    assertThat(customizer.customized).containsExactlyInAnyOrder("products", "prices", "mixed", "greetings",
        "farewells");
    assertThat(products.as(LaminaCache.class).tiered().config().negativeTtl())
        .as("the customizer's value wins over quarkus.lamina.caches.products.negative-ttl=1m")
        .isEqualTo(Duration.ofSeconds(7));
  }

  @Test
  void versionOf_makesPutStoreTheValue_inBothTiers() {
    LaminaCache cache = products.as(LaminaCache.class);
    cache.put(3L, new Product(3, "put")).join();
    assertThat(cache.getIfPresent(3L).join()).isEqualTo(new Product(3, "put"));
    assertThat(TestServers.redis().command("EXISTS", "customizer:products:1:l:3")).isEqualTo(1L);
    int before = catalog.productLoads.get();
    assertThat(catalog.find(3)).isEqualTo(new Product(3, "put"));
    assertThat(catalog.productLoads).as("served from the cache").hasValue(before);

    LaminaCache plain = prices.as(LaminaCache.class);
    CompositeCacheKey key = new CompositeCacheKey("sku", "EUR");
    plain.put(key, BigDecimal.ONE).join();
    assertThat(plain.getIfPresent(key).join()).as("without versionOf, put only invalidates").isNull();
  }

  @Test
  void ttlOf_setsHowLongRedisKeepsAStoredValue() {
    products.as(LaminaCache.class).put(6L, new Product(6, "short-lived")).join();
    Object ttl = TestServers.redis().command("PTTL", "customizer:products:1:l:6");
    assertThat(ttl).isInstanceOf(Long.class);
    assertThat((Long) ttl).as("the product's own TTL, not l2.ttl").isPositive()
        .isLessThanOrEqualTo(PRODUCT_TTL.toMillis());
  }

  @Inject
  MeterRegistry meters;

  @Test
  void theListenerHearsLoads_andTheExtensionsTimingsStillRecordThem() {
    catalog.rows.put(4L, "four");
    double timed = loadsTimed("products");
    catalog.find(4);
    assertThat(customizer.loads).contains("products");
    assertThat(loadsTimed("products")).as("the extension's timings sit around the customizer's listener")
        .isEqualTo(timed + 1);
    catalog.price("a", "b", false);
    assertThat(customizer.loads).as("only products has the listener").containsOnly("products");
    assertThat(loadsTimed("prices")).isPositive();
  }

  private double loadsTimed(String cache) {
    Timer timer = meters.find("cache.load.duration").tags("cache", cache, "result", "success").timer();
    return timer == null ? 0 : timer.count();
  }
}
