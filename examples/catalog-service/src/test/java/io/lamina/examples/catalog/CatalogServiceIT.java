package io.lamina.examples.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import io.lamina.examples.catalog.CatalogInstances.Instance;
import io.lamina.testkit.server.NatsServer;
import io.lamina.testkit.server.RedisServer;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.core.type.TypeReference;

/**
 * Two catalog instances on real Redis, NATS and PostgreSQL. "Within the bound" is Lamina's staleness bound
 * after a write (the bus detection time, 2 s; in practice a few milliseconds).
 */
class CatalogServiceIT {

  private static final Duration BOUND = Duration.ofSeconds(2);

  private static RedisServer redis;
  private static NatsServer nats;
  private static CatalogInstances instances;
  private static Instance a;
  private static Instance b;

  @BeforeAll
  static void start() {
    redis = RedisServer.start();
    nats = NatsServer.start(false);
    instances = new CatalogInstances(redis, nats);
    a = instances.start();
    b = instances.start();
  }

  @AfterAll
  static void stop() {
    if (instances != null) {
      instances.close();
    }
    if (nats != null) {
      nats.close();
    }
    if (redis != null) {
      redis.close();
    }
  }

  private static ConditionFactory withinBound() {
    return Awaitility.await().atMost(BOUND).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(2));
  }

  @Test
  void aWriteOnOneInstance_isWhatTheOtherServesNext_fromRedis_notTheDatabase() {
    Product before = b.product(b.get("/products/11"));
    assertThat(b.product(b.get("/products/11"))).isEqualTo(before);
    double readsOnB = b.databaseReads();

    Product written = a.product(a.put("/products/11/price", "{\"priceCents\": 4242}"));
    assertThat(written.version()).isEqualTo(before.version() + 1);
    assertThat(written.priceCents()).isEqualTo(4242);

    withinBound().until(() -> b.product(b.get("/products/11")).version() == written.version());
    assertThat(b.product(b.get("/products/11"))).isEqualTo(written);
    assertThat(b.databaseReads()).as("B read the row A put in Redis under its version").isEqualTo(readsOnB);
  }

  @Test
  void reads_afterTheFirst_doNotQueryTheDatabase() {
    a.get("/products/12");
    double reads = a.databaseReads();
    for (int i = 0; i < 20; i++) {
      assertThat(a.get("/products/12").statusCode()).isEqualTo(200);
    }
    assertThat(a.databaseReads()).isEqualTo(reads);
  }

  @Test
  void matchingEtag_gets304_withoutABody() {
    HttpResponse<String> first = a.get("/products/13");
    String etag = first.headers().firstValue("ETag").orElseThrow();
    assertThat(etag).isEqualTo("\"13." + a.product(first).version() + "\"");
    assertThat(first.headers().firstValue("Cache-Control").orElseThrow()).contains("no-cache");

    HttpResponse<String> again = b.get("/products/13", "If-None-Match", etag);
    assertThat(again.statusCode()).as("the other instance agrees: same row, same tag").isEqualTo(304);
    assertThat(again.body()).isEmpty();
    assertThat(again.headers().firstValue("ETag")).contains(etag);
  }

  @Test
  void staleEtag_gets200_withTheNewRowAndTag_onTheOtherInstance() {
    String old = b.get("/products/14").headers().firstValue("ETag").orElseThrow();
    assertThat(b.get("/products/14", "If-None-Match", old).statusCode()).isEqualTo(304);

    Product written = a.product(a.put("/products/14/price", "{\"priceCents\": 777}"));

    AtomicReference<HttpResponse<String>> seen = new AtomicReference<>();
    withinBound().until(() -> {
      seen.set(b.get("/products/14", "If-None-Match", old));
      return seen.get().statusCode() != 304;
    });
    assertThat(seen.get().statusCode()).isEqualTo(200);
    assertThat(b.product(seen.get())).isEqualTo(written);
    assertThat(seen.get().headers().firstValue("ETag")).contains("\"14." + written.version() + "\"");
  }

  @Test
  void cachedSearch_isInvalidatedByAWriteOnTheOtherInstance() {
    String query = "/products?q=%2315"; // "#15": products 15 and 150-159
    List<Product> before = list(b.get(query));
    assertThat(before).extracting(Product::id).contains(15L, 150L);
    double reads = b.databaseReads();
    assertThat(list(b.get(query))).isEqualTo(before);
    assertThat(b.databaseReads()).as("the second search is a cache hit").isEqualTo(reads);

    Product written = a.product(a.put("/products/150/price", "{\"priceCents\": 150150}"));

    withinBound().until(() -> list(b.get(query)).contains(written));
  }

  @Test
  void missingProduct_is404_andStays404_withoutQueryingAgain() {
    assertThat(a.get("/products/999999").statusCode()).isEqualTo(404);
    double reads = a.databaseReads();
    assertThat(a.get("/products/999999").statusCode()).isEqualTo(404);
    assertThat(a.databaseReads()).as("the negative result is cached").isEqualTo(reads);
  }

  private static List<Product> list(HttpResponse<String> response) {
    return CatalogInstances.JSON.readValue(response.body(), new TypeReference<List<Product>>() {});
  }
}
