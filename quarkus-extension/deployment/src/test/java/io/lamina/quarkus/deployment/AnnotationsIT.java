package io.lamina.quarkus.deployment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lamina.quarkus.LaminaCache;
import io.lamina.quarkus.deployment.Catalog.Product;
import io.lamina.quarkus.runtime.LaminaCaches;
import io.lamina.quarkus.runtime.LaminaWarmups;
import io.lamina.quarkus.runtime.devui.LaminaJsonRpcService;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quarkus.cache.Cache;
import io.quarkus.cache.CacheName;
import io.quarkus.cache.CaffeineCache;
import io.quarkus.cache.CompositeCacheKey;
import io.quarkus.test.QuarkusUnitTest;
import io.smallrye.health.SmallRyeHealthReporter;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import jakarta.inject.Inject;
import jakarta.json.JsonObject;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * One application on real Redis and NATS ({@code quarkus.cache.type=lamina}, NATS bus): each cache annotation end
 * to end, with the entry looked up in Redis; programmatic access; readiness checks and meters. One boot for all.
 */
@ExtendWith(TestServers.Required.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class AnnotationsIT {

  private static final String NS = "annotations";

  @RegisterExtension
  static final QuarkusUnitTest APP = new QuarkusUnitTest()
      .withApplicationRoot(jar -> jar.addClasses(Catalog.class, Product.class, TestServers.class))
      .overrideConfigKey("quarkus.cache.type", "lamina")
      .overrideConfigKey("quarkus.cache.\"local\".type", "caffeine")
      .overrideConfigKey("quarkus.lamina.namespace", NS)
      .overrideConfigKey("quarkus.lamina.redis.address", TestServers.redisUrl())
      .overrideConfigKey("quarkus.lamina.bus.type", "nats")
      .overrideConfigKey("quarkus.lamina.bus.nats.url", TestServers.natsUrl())
      .overrideConfigKey("quarkus.lamina.caches.products.negative-ttl", "1m")
      .overrideConfigKey("quarkus.lamina.caches.products.l2.ttl", "7m")
      .overrideConfigKey("quarkus.lamina.defaults.l1.maximum-size", "1234");

  @Inject
  Catalog catalog;

  @Inject
  @CacheName("products")
  Cache products;

  @Inject
  @CacheName("local")
  Cache local;

  @Inject
  LaminaCaches caches;

  @Inject
  LaminaWarmups warmups;

  @Inject
  SmallRyeHealthReporter health;

  @Inject
  MeterRegistry meters;

  @Inject
  Vertx vertx;

  private static String redisKey(String cache, String id) {
    return NS + ":" + cache + ":1:" + id;
  }

  private static Object redis(String... command) {
    return TestServers.redis().command(command);
  }

  @Test
  @Order(1)
  void cacheResult_loadsOnce_storesInRedis_andCachesNullAsNegative() {
    catalog.rows.put(1L, "first");
    assertThat(catalog.find(1)).isEqualTo(new Product(1, "first"));
    assertThat(catalog.find(1)).isEqualTo(new Product(1, "first"));
    assertThat(catalog.productLoads).hasValue(1);
    assertThat(redis("EXISTS", redisKey("products", "l:1"))).isEqualTo(1L);
    long ttl = (Long) redis("TTL", redisKey("products", "l:1"));
    assertThat(ttl).as("l2.ttl=7m, less jitter").isBetween(300L, 420L);

    assertThat(catalog.find(99)).isNull();
    assertThat(catalog.find(99)).isNull();
    assertThat(catalog.productLoads).as("a null result is cached (negative)").hasValue(2);
    assertThat(redis("EXISTS", redisKey("products", "l:99"))).isEqualTo(1L);
  }

  @Test
  @Order(2)
  void cacheInvalidate_andInvalidateAll_makeTheNextReadLoad() {
    catalog.rows.put(2L, "two");
    catalog.find(2);
    int before = catalog.productLoads.get();
    catalog.rename(2, "two, renamed");
    assertThat(catalog.find(2)).isEqualTo(new Product(2, "two, renamed"));
    assertThat(catalog.productLoads).hasValue(before + 1);

    catalog.rows.put(2L, "two, changed at the source");
    catalog.reloadAll();
    assertThat(catalog.find(2).name()).isEqualTo("two, changed at the source");
    assertThat(catalog.productLoads).hasValue(before + 2);
  }

  @Test
  @Order(3)
  void cacheKeys_compositeKeys_andKeyTypes_neverCollide() {
    BigDecimal first = catalog.price("sku-1", "EUR", true);
    assertThat(catalog.price("sku-1", "EUR", false)).as("the @CacheKey parameters alone make the key")
        .isEqualTo(first);
    assertThat(catalog.priceLoads).hasValue(1);
    catalog.price("sku-1", "USD", true);
    assertThat(catalog.priceLoads).hasValue(2);
    assertThat(redis("EXISTS", redisKey("prices", "[s:sku-1,s:EUR]"))).isEqualTo(1L);

    assertThat(catalog.echo(1L)).isEqualTo("Long:1");
    assertThat(catalog.echo(1)).isEqualTo("Integer:1");
    assertThat(catalog.echo("1")).isEqualTo("String:1");
    assertThat(catalog.echo(1L)).isEqualTo("Long:1");
    assertThat(catalog.echoLoads).as("1L, 1 and \"1\" are three entries").hasValue(3);
    assertThatThrownBy(() -> catalog.echo(new Object()))
        .hasMessageContaining("has no canonical id");
  }

  @Test
  @Order(4)
  void uniAndCompletionStage_areCachedToo() throws Exception {
    assertThat(catalog.greet("ada").await().atMost(Duration.ofSeconds(5))).isEqualTo("hello ada");
    assertThat(catalog.greet("ada").await().atMost(Duration.ofSeconds(5))).isEqualTo("hello ada");
    assertThat(catalog.farewell("ada").toCompletableFuture().get(5, TimeUnit.SECONDS)).isEqualTo("bye ada");
    assertThat(catalog.farewell("ada").toCompletableFuture().get(5, TimeUnit.SECONDS)).isEqualTo("bye ada");
    assertThat(catalog.asyncLoads).hasValue(2);
    assertThat(redis("EXISTS", redisKey("greetings", "s:ada"))).isEqualTo(1L);
    assertThat(redis("EXISTS", redisKey("farewells", "s:ada"))).isEqualTo(1L);

    Context context = vertx.getOrCreateContext();
    CompletableFuture<Context> deliveredOn = new CompletableFuture<>();
    context.runOnContext(ignored -> catalog.greet("grace").subscribe().with(
        item -> deliveredOn.complete(Vertx.currentContext()), deliveredOn::completeExceptionally));
    assertThat(deliveredOn.get(5, TimeUnit.SECONDS)).as("a Uni answers on the caller's Vert.x context")
        .isSameAs(context);
  }

  @Test
  @Order(5)
  void cacheName_injection_reachesTheTieredCache_andPerCacheTypesMix() throws Exception {
    LaminaCache lamina = products.as(LaminaCache.class);
    assertThat(lamina.tiered().name()).isEqualTo("products");
    assertThat(lamina.tiered().config().negativeTtl()).isEqualTo(Duration.ofMinutes(1));
    assertThat(lamina.tiered().config().l1MaximumSize()).as("from quarkus.lamina.defaults").isEqualTo(1234);
    assertThat(lamina.idOf(new CompositeCacheKey("a,b", 1))).isEqualTo("[s:a\\,b,i:1]");

    lamina.put(3L, new Product(3, "three")).get(5, TimeUnit.SECONDS);
    catalog.rows.put(3L, "three");
    assertThat(products.get(3L, k -> new Product(3, "loaded")).await().indefinitely())
        .as("a put invalidates; the next read loads").isEqualTo(new Product(3, "loaded"));
    assertThat(lamina.getIfPresent(3L).get(5, TimeUnit.SECONDS)).isEqualTo(new Product(3, "loaded"));
    products.invalidate(3L).await().indefinitely();
    assertThat(lamina.getIfPresent(3L).get(5, TimeUnit.SECONDS)).isNull();

    assertThat(local.as(CaffeineCache.class)).as("quarkus.cache.\"local\".type=caffeine still works").isNotNull();
    assertThat(caches.names()).contains("products", "prices", "mixed", "greetings", "farewells")
        .doesNotContain("local");
  }

  @Test
  @Order(6)
  void readiness_reportsRedisNatsAndCoherence_andMetersAreBound_loadsAndL2CallsTimed() {
    Awaitility.await().atMost(Duration.ofSeconds(10))
        .until(() -> products.as(LaminaCache.class).tiered().coherence().trusted());
    JsonObject payload = health.getReadiness().getPayload();
    assertThat(payload.getString("status")).isEqualTo("UP");
    String checks = payload.getJsonArray("checks").toString();
    assertThat(checks).contains("Lamina Redis", "Lamina NATS", "Lamina coherence", "\"status\":\"TRUSTED\"",
        "CONNECTED");

    catalog.find(1);
    assertThat(meters.find("cache.gets").tag("cache", "products").tag("tier", "l1").meters()).isNotEmpty();
    assertThat(meters.find("lamina.loads").tag("cache", "products").meters()).isNotEmpty();
    assertThat(meters.get("cache.load.duration").tags("cache", "products", "result", "success").timer().count())
        .as("every load timed, with quarkus-micrometer present").isPositive();
    Timer reads = meters.get("lamina.l2.latency").tags("cache", "products", "operation", "read", "result", "success")
        .timer();
    assertThat(reads.count()).as("every L2 read timed").isPositive();
    assertThat(reads.takeSnapshot().histogramCounts()).as("with a histogram for its percentiles").isNotEmpty();
    assertThat(meters.find("lamina.l2.latency").tags("cache", "products", "operation", "fill").timers())
        .isNotEmpty();
  }

  @Test
  @Order(7)
  @SuppressWarnings("unchecked")
  void devUiService_listsCachesAndBus_andEvictsOnEveryInstance() {
    LaminaJsonRpcService devUi = new LaminaJsonRpcService(caches, warmups);
    catalog.rows.put(8L, "eight");
    catalog.find(8);
    catalog.find(8);
    Map<String, Object> productsRow = devUi.getCaches().stream().filter(c -> c.get("name").equals("products"))
        .findFirst().orElseThrow();
    assertThat((Long) ((Map<String, Object>) productsRow.get("l1")).get("hits")).isPositive();
    assertThat(devUi.getBus()).containsEntry("bus", "nats").containsEntry("trusted", true);

    int loads = catalog.productLoads.get();
    assertThat(devUi.evictKey("products", "l:8")).contains("every instance");
    catalog.find(8);
    assertThat(catalog.productLoads).hasValue(loads + 1);
    devUi.evictCache("products");
    catalog.find(8);
    assertThat(catalog.productLoads).hasValue(loads + 2);
    assertThatThrownBy(() -> devUi.evictCache("nope")).hasMessageContaining("no Lamina cache named 'nope'");
  }

  @Test
  @Order(8)
  void theCacheTakesItsBusAndClientsFromConfiguration() {
    assertThat(caches.busName()).isEqualTo("nats");
    assertThat(caches.redisson()).isNotNull();
    assertThat(caches.natsConnection()).isNotNull();
    assertThat(caches.redisson().getConfig().getTransportMode()).hasToString("NIO");
  }
}
