package io.lamina.quarkus.deployment;

import static org.assertj.core.api.Assertions.assertThat;

import io.lamina.CacheLoader;
import io.lamina.quarkus.LaminaCache;
import io.lamina.quarkus.LaminaWarmupSource;
import io.lamina.quarkus.deployment.Catalog.Product;
import io.lamina.quarkus.runtime.LaminaCaches;
import io.lamina.quarkus.runtime.LaminaWarmups;
import io.lamina.quarkus.runtime.devui.LaminaJsonRpcService;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.cache.Cache;
import io.quarkus.cache.CacheName;
import io.quarkus.test.QuarkusUnitTest;
import io.smallrye.health.SmallRyeHealthReporter;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import jakarta.json.JsonObject;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.LongStream;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Warming in a Quarkus application on real Redis: a {@link LaminaWarmupSource} bean gives the keys of "products"
 * and their loader; the warm-up starts with the application, and the {@code Lamina warming} readiness check is
 * DOWN until it ends (the loader is held back until the test lets it go), then UP; the keys are then served
 * without calling the cached method; the {@code lamina.warming.*} meters and the Dev UI service report it; and hot
 * keys are refreshed ahead of their Redis expiry.
 */
@ExtendWith(TestServers.Required.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class WarmingIT {

  @RegisterExtension
  static final QuarkusUnitTest APP = new QuarkusUnitTest()
      .withApplicationRoot(jar -> jar.addClasses(Catalog.class, Product.class, TestServers.class, Source.class))
      .overrideConfigKey("quarkus.cache.type", "lamina")
      .overrideConfigKey("quarkus.lamina.namespace", "warming")
      .overrideConfigKey("quarkus.lamina.redis.address", TestServers.redisUrl())
      .overrideConfigKey("quarkus.lamina.defaults.warming.deadline", "1m")
      .overrideConfigKey("quarkus.lamina.caches.products.warming.enabled", "true")
      .overrideConfigKey("quarkus.lamina.caches.products.warming.readiness", "true")
      .overrideConfigKey("quarkus.lamina.caches.products.warming.batch-size", "5")
      .overrideConfigKey("quarkus.lamina.caches.products.protection.hot-keys", "10")
      .overrideConfigKey("quarkus.lamina.caches.products.l2.ttl", "10s")
      .overrideConfigKey("quarkus.lamina.caches.products.warming.refresh.enabled", "true")
      .overrideConfigKey("quarkus.lamina.caches.products.warming.refresh.period", "200ms")
      .overrideConfigKey("quarkus.lamina.caches.products.warming.refresh.ahead", "9500ms");

  /** The ids of products 1 to 20, and a loader that waits until the test opens {@link #GATE}. */
  @Singleton
  public static class Source implements LaminaWarmupSource {

    static final CountDownLatch GATE = new CountDownLatch(1);
    final AtomicInteger loads = new AtomicInteger();

    @Override
    public String cache() {
      return "products";
    }

    @Override
    public Iterable<?> keys() {
      return LongStream.rangeClosed(1, 20).boxed().toList();
    }

    @Override
    public CacheLoader<Object, Object> loader() {
      return key -> {
        if (!GATE.await(30, TimeUnit.SECONDS)) {
          throw new IllegalStateException("the test never opened the gate");
        }
        loads.incrementAndGet();
        long id = (Long) key;
        return new Product(id, "warm " + id);
      };
    }
  }

  @Inject
  Catalog catalog;

  @Inject
  Source source;

  @Inject
  LaminaCaches caches;

  @Inject
  LaminaWarmups warmups;

  @Inject
  SmallRyeHealthReporter health;

  @Inject
  MeterRegistry meters;

  @Inject
  @CacheName("products")
  Cache products;

  @Test
  @Order(1)
  void readiness_isDownWhileTheWarmupRuns_thenUp() {
    JsonObject warming = check("Lamina warming");
    assertThat(warming.getString("status")).isEqualTo("DOWN");
    assertThat(warming.getJsonObject("data").getString("holding")).isEqualTo("products");
    assertThat(health.getReadiness().getPayload().getString("status")).isEqualTo("DOWN");

    Source.GATE.countDown();
    Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> "UP".equals(check("Lamina warming")
        .getString("status")));
    assertThat(check("Lamina warming").getJsonObject("data").getString("products")).startsWith("products: DONE 20/20");
    assertThat(source.loads).as("each key loaded from the source once").hasValue(20);
  }

  @Test
  @Order(2)
  void warmKeys_areServedWithoutCallingTheMethod() {
    LaminaCache cache = products.as(LaminaCache.class);
    for (long id = 1; id <= 20; id++) {
      assertThat(cache.tiered().getIfPresent(cache.idOf(id))).isEqualTo(new Product(id, "warm " + id));
      assertThat(catalog.find(id)).isEqualTo(new Product(id, "warm " + id));
    }
    assertThat(catalog.productLoads).as("no @CacheResult call reached the method").hasValue(0);
  }

  @Test
  @Order(3)
  @SuppressWarnings("unchecked")
  void metersAndDevUi_reportTheWarmup() {
    assertThat(meters.get("lamina.warming.keys").tag("cache", "products").tag("outcome", "loaded").gauge().value())
        .isEqualTo(20);
    assertThat(meters.get("lamina.warming.finished").tag("cache", "products").gauge().value()).isEqualTo(1);
    Map<String, Object> warming = new LaminaJsonRpcService(caches, warmups).getWarming();
    Map<String, Object> products = ((List<Map<String, Object>>) warming.get("warmups")).get(0);
    assertThat(products).containsEntry("cache", "products").containsEntry("state", "DONE")
        .containsEntry("total", 20L).containsEntry("loaded", 20L).containsEntry("holdsReadiness", true);
    assertThat((List<String>) warming.get("readinessHeldBy")).isEmpty();
  }

  @Test
  @Order(4)
  void hotKeys_areRefreshedAheadOfTheirRedisExpiry() {
    // A fresh Redis copy (the warm one may have expired by now): written by the method, refreshed by the source.
    catalog.rename(1, "one");
    assertThat(catalog.find(1)).isEqualTo(new Product(1, "one"));
    int before = source.loads.get();
    Awaitility.await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(50)).until(() -> {
      catalog.find(1); // keeps key 1 hot
      return warmups.refreshers().get("products").refreshed() > 0;
    });
    assertThat(source.loads.get()).as("the refresh reloads through the source's loader").isGreaterThan(before);
    assertThat(meters.get("lamina.warming.refreshes").tag("cache", "products").tag("outcome", "refreshed")
        .functionCounter().count()).isPositive();
  }

  private JsonObject check(String name) {
    JsonObject payload = health.getReadiness().getPayload();
    return payload.getJsonArray("checks").getValuesAs(JsonObject.class).stream()
        .filter(c -> c.getString("name").equals(name)).findFirst()
        .orElseThrow(() -> new AssertionError("no check " + name + " in " + payload));
  }
}
