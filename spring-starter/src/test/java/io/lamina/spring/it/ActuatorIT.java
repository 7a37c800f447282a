package io.lamina.spring.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.lamina.spring.LaminaCaches;
import io.lamina.spring.it.ItApp.Catalog;
import io.lamina.spring.it.ItApp.Product;
import io.lamina.spring.it.ItApp.Reads;
import io.lamina.testkit.server.RedisServer;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.cache.CacheManager;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * One instance on a real Redis, with Actuator over HTTP: {@code @Cacheable} end to end, the {@code lamina}
 * endpoint, the health contributor and the meters.
 */
class ActuatorIT {

  private static RedisServer redis;
  private static ConfigurableApplicationContext app;
  private static String base;
  private static final HttpClient http = HttpClient.newHttpClient();
  private static final JsonMapper json = JsonMapper.builder().build();

  @BeforeAll
  static void start() {
    redis = RedisServer.start();
    app = ItApp.start(true,
        "server.port=0",
        "server.address=127.0.0.1",
        "lamina.namespace=actuator-it",
        "lamina.redis.address=" + redis.url(),
        "lamina.caches.products.value-types=" + Product.class.getName(),
        "lamina.caches.products.l2.ttl=10m",
        "lamina.caches.products.protection.hot-keys=8",
        "lamina.actuator.show-hot-key-ids=true",
        "management.endpoints.web.exposure.include=lamina,health,metrics",
        "management.endpoint.health.show-details=always",
        "management.endpoint.lamina.access=unrestricted");
    base = "http://127.0.0.1:" + app.getEnvironment().getProperty("local.server.port") + "/actuator";
    Awaitility.await().atMost(Duration.ofSeconds(10))
        .until(() -> app.getBean(LaminaCaches.class).get("products").coherence().trusted());
  }

  @AfterAll
  static void stop() {
    if (app != null) {
      app.close();
    }
    if (redis != null) {
      redis.close();
    }
  }

  private static HttpResponse<String> send(String method, String path) throws IOException, InterruptedException {
    HttpRequest request = HttpRequest.newBuilder(URI.create(base + path)).method(method,
        HttpRequest.BodyPublishers.noBody()).timeout(Duration.ofSeconds(10)).build();
    return http.send(request, HttpResponse.BodyHandlers.ofString());
  }

  private static JsonNode get(String path) throws IOException, InterruptedException {
    HttpResponse<String> response = send("GET", path);
    assertThat(response.statusCode()).as(path + ": " + response.body()).isEqualTo(200);
    return json.readTree(response.body());
  }

  @Test
  void cacheable_endToEnd_storesInRedis_andTheEndpointShowsTheKey() throws Exception {
    Catalog catalog = app.getBean(Catalog.class);
    Reads reads = app.getBean(Reads.class);
    ItApp.ROWS.put(41L, new Product(41, "answer-ish"));
    int before = reads.count();
    assertThat(catalog.find(41)).isEqualTo(new Product(41, "answer-ish"));
    assertThat(catalog.find(41)).isEqualTo(new Product(41, "answer-ish"));
    assertThat(catalog.findUnsynced(41)).as("the non-sync path hits the same entry")
        .isEqualTo(new Product(41, "answer-ish"));
    assertThat(reads.count() - before).isEqualTo(1);

    JsonNode key = get("/lamina/products/l:41");
    assertThat(key.path("l1").path("state").asString()).isEqualTo("VALUE");
    assertThat(key.path("l1").path("ageMillis").asLong(-1)).as("stored moments ago").isBetween(0L, 60_000L);
    assertThat(key.path("l1").path("expiresInMillis").asLong(-1)).isPositive();
    assertThat(key.path("l2").path("state").asString()).isEqualTo("VALUE");
    assertThat(key.path("l2").path("ttlMillis").asLong()).isBetween(1L, Duration.ofMinutes(10).toMillis());
    assertThat(redis.command("EXISTS", "actuator-it:products:1:l:41")).isEqualTo(1L);

    assertThat(send("DELETE", "/lamina/products/l:41").statusCode()).isEqualTo(200);
    JsonNode evicted = get("/lamina/products/l:41");
    assertThat(evicted.path("l1").path("state").asString()).isEqualTo("ABSENT");
    assertThat(evicted.path("l2").path("state").asString()).isEqualTo("TOMBSTONE");
    catalog.find(41);
    assertThat(reads.count() - before).as("reloaded after the eviction").isEqualTo(2);
  }

  @Test
  void endpoint_listsCachesWithPerTierStats_andEvictsAWholeCache() throws Exception {
    Catalog catalog = app.getBean(Catalog.class);
    ItApp.ROWS.put(7L, new Product(7, "seven"));
    catalog.find(7);
    catalog.find(7);

    JsonNode all = get("/lamina");
    JsonNode products = all.path("caches").path("products");
    assertThat(products.path("settings").path("namespace").asString()).isEqualTo("actuator-it");
    assertThat(products.path("settings").path("l2Ttl").asString()).isEqualTo("PT10M");
    assertThat(products.path("stats").path("l1").path("hits").asLong()).isPositive();
    assertThat(products.path("stats").path("l2").path("puts").asLong()).isPositive();
    assertThat(products.path("coherence").path("trusted").asBoolean()).isTrue();
    assertThat(send("GET", "/lamina/nosuchcache").statusCode()).isEqualTo(404);

    assertThat(send("DELETE", "/lamina/products").statusCode()).isEqualTo(200);
    assertThat(get("/lamina/products/l:7").path("l1").path("state").asString()).isEqualTo("ABSENT");
  }

  @Test
  void withoutOptingIn_theEndpointIsReadOnly() throws Exception {
    ConfigurableApplicationContext readOnly = ItApp.start(true, "server.port=0", "server.address=127.0.0.1",
        "lamina.namespace=actuator-read-only", "lamina.redis.address=" + redis.url(),
        "lamina.caches.products.value-types=" + Product.class.getName(),
        "management.endpoints.web.exposure.include=lamina");
    try {
      String url = "http://127.0.0.1:" + readOnly.getEnvironment().getProperty("local.server.port")
          + "/actuator/lamina/products";
      ItApp.ROWS.put(5L, new Product(5, "five"));
      readOnly.getBean(Catalog.class).find(5);
      HttpResponse<String> get = http.send(HttpRequest.newBuilder(URI.create(url + "/l:5")).GET().build(),
          HttpResponse.BodyHandlers.ofString());
      assertThat(get.statusCode()).isEqualTo(200);
      for (String path : new String[] {url, url + "/l:5"}) {
        HttpResponse<String> delete = http.send(HttpRequest.newBuilder(URI.create(path)).DELETE().build(),
            HttpResponse.BodyHandlers.ofString());
        assertThat(delete.statusCode()).as("DELETE " + path).isIn(404, 405);
      }
      assertThat(json.readTree(http.send(HttpRequest.newBuilder(URI.create(url + "/l:5")).GET().build(),
          HttpResponse.BodyHandlers.ofString()).body()).path("l2").path("state").asString())
          .as("nothing evicted").isEqualTo("VALUE");
    } finally {
      readOnly.close();
    }
  }

  @Test
  void endpoint_reportsHotKeys() throws Exception {
    Catalog catalog = app.getBean(Catalog.class);
    ItApp.ROWS.put(99L, new Product(99, "hot"));
    Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> {
      for (int i = 0; i < 2_000; i++) {
        catalog.find(99);
      }
      JsonNode hot = get("/lamina/products").path("hotKeys");
      return hot.isArray() && hot.size() > 0 && hot.get(0).path("id").asString().equals("l:99");
    });
    MeterRegistry registry = app.getBean(MeterRegistry.class);
    assertThat(registry.get("lamina.protection.hot.keys").tags("cache", "products").gauge().value()).isPositive();
  }

  @Test
  void health_reportsRedisAndCoherence() throws Exception {
    JsonNode health = get("/health/lamina");
    assertThat(health.path("status").asString()).isEqualTo("UP");
    assertThat(health.path("components").path("redis").path("status").asString()).isEqualTo("UP");
    assertThat(health.path("components").path("coherence").path("status").asString()).isEqualTo("UP");
    assertThat(health.path("components").path("coherence").path("details").path("products").path("trusted")
        .asBoolean()).isTrue();
  }

  @Test
  void metrics_areBoundPerCacheAndTier() throws Exception {
    Catalog catalog = app.getBean(Catalog.class);
    ItApp.ROWS.put(8L, new Product(8, "eight"));
    catalog.find(8);
    catalog.find(8);
    MeterRegistry registry = app.getBean(MeterRegistry.class);
    assertThat(registry.get("cache.gets").tags("cache", "products", "tier", "l1", "result", "hit")
        .functionCounter().count()).isPositive();
    assertThat(registry.get("cache.gets").tags("cache", "products", "tier", "l2", "result", "miss")
        .functionCounter().count()).isPositive();
    assertThat(registry.get("lamina.loads").tags("cache", "products", "result", "success")
        .functionCounter().count()).isPositive();
    assertThat(registry.get("lamina.bus.degraded").gauge().value()).as("one per namespace").isZero();

    JsonNode overHttp = get("/metrics/cache.gets?tag=cache:products&tag=tier:l1&tag=result:hit");
    assertThat(overHttp.path("measurements").get(0).path("value").asDouble()).isPositive();
    assertThat(get("/metrics/cache.size?tag=cache:products&tag=tier:l1").path("measurements").get(0)
        .path("value").asDouble()).isPositive();
  }

  @Test
  void dynamicCache_isBoundToo() {
    app.getBean(CacheManager.class).getCache("later").put("k", "v");
    MeterRegistry registry = app.getBean(MeterRegistry.class);
    assertThat(registry.find("cache.gets").tags("cache", "later").functionCounters()).isNotEmpty();
  }
}
