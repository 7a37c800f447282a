package io.lamina.examples.pricing;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.lamina.examples.pricing.PricingInstances.Instance;
import io.lamina.testkit.server.NatsServer;
import io.lamina.testkit.server.RedisServer;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Two pricing instances — two JVM processes of the packaged Quarkus application — on a real {@code redis-server},
 * {@code nats-server} and PostgreSQL (embedded, started here). "Within the bound" is Lamina's staleness bound
 * after a write (the bus detection time, 2 s; in practice a few milliseconds).
 */
class PricingServiceIT {

  private static final Duration BOUND = Duration.ofSeconds(2);
  private static final ObjectMapper JSON = new ObjectMapper();

  private static RedisServer redis;
  private static NatsServer nats;
  private static EmbeddedPostgres postgres;
  private static PricingInstances instances;
  private static Instance a;
  private static Instance b;

  @BeforeAll
  static void start() throws IOException {
    redis = RedisServer.start();
    nats = NatsServer.start(false);
    postgres = EmbeddedPostgres.builder().setServerConfig("listen_addresses", "127.0.0.1").start();
    instances = new PricingInstances("pricing-it", redis.url(), nats.url(),
        "jdbc:postgresql://127.0.0.1:" + postgres.getPort() + "/postgres");
    a = instances.start("pricing-it-a");
    b = instances.start("pricing-it-b");
  }

  @AfterAll
  static void stop() throws Exception {
    if (instances != null) {
      instances.close();
    }
    if (postgres != null) {
      postgres.close();
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

  private static Quote quote(HttpResponse<String> response) {
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    try {
      return JSON.readValue(response.body(), Quote.class);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void sql(String statement) {
    try (Connection c = postgres.getPostgresDatabase().getConnection(); Statement s = c.createStatement()) {
      s.execute(statement);
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  @Test
  void aDiscountChangedOnOneInstance_isWhatTheOtherServesNext() {
    Quote before = quote(b.get("/quotes/11"));
    assertThat(quote(b.get("/quotes/11"))).as("now in B's L1").isEqualTo(before);

    Quote written = quote(a.put("/quotes/11/discount", "{\"discountPercent\": 25}"));
    assertThat(written.version()).isEqualTo(before.version() + 1);
    assertThat(written.discountPercent()).isEqualTo(25);
    assertThat(written.priceCents()).isEqualTo((written.listCents() * 75 + 50) / 100);

    withinBound().until(() -> quote(b.get("/quotes/11")).version() == written.version());
    assertThat(quote(b.get("/quotes/11"))).isEqualTo(written);
    assertThat(quote(a.get("/quotes/11"))).isEqualTo(written);
  }

  @Test
  void cachedReads_doNotQueryTheDatabase_onEitherInstance() {
    double readsOnA = a.databaseReads();
    Quote first = quote(a.get("/quotes/12"));
    assertThat(a.databaseReads()).as("the first read loads").isEqualTo(readsOnA + 1);
    for (int i = 0; i < 20; i++) {
      assertThat(quote(a.get("/quotes/12"))).isEqualTo(first);
    }
    assertThat(a.databaseReads()).as("20 more reads, from L1").isEqualTo(readsOnA + 1);

    double readsOnB = b.databaseReads();
    for (int i = 0; i < 20; i++) {
      assertThat(quote(b.get("/quotes/12"))).isEqualTo(first);
    }
    assertThat(b.databaseReads()).as("B found A's load in Redis").isEqualTo(readsOnB);
  }

  @Test
  void anAbsentProduct_is404_cachedAsAbsent_untilItGetsAPrice() {
    double readsOnA = a.databaseReads();
    assertThat(a.get("/quotes/5000").statusCode()).isEqualTo(404);
    assertThat(a.get("/quotes/5000").statusCode()).isEqualTo(404);
    assertThat(a.databaseReads()).as("the second 404 came from the cache").isEqualTo(readsOnA + 1);
    double readsOnB = b.databaseReads();
    assertThat(b.get("/quotes/5000").statusCode()).isEqualTo(404);
    assertThat(b.databaseReads()).as("B found the negative result in Redis").isEqualTo(readsOnB);
    assertThat(b.put("/quotes/5000/discount", "{\"discountPercent\": 5}").statusCode())
        .as("no price, nothing to discount").isEqualTo(404);

    Quote created = quote(b.put("/prices/5000", "{\"listCents\": 1999, \"discountPercent\": 10}"));
    assertThat(created).isEqualTo(new Quote(5000, 1999, 10, 1799, 1));
    withinBound().until(() -> a.get("/quotes/5000").statusCode() == 200);
    assertThat(quote(a.get("/quotes/5000"))).as("the cached 404 did not outlive the write").isEqualTo(created);
    assertThat(quote(b.get("/quotes/5000"))).isEqualTo(created);
  }

  @Test
  void etags_answer304WhileCurrent_and200WithTheNewQuoteOnceChanged() {
    HttpResponse<String> first = a.get("/quotes/13");
    String etag = first.headers().firstValue("ETag").orElseThrow();
    assertThat(etag).isEqualTo("\"13." + quote(first).version() + "\"");
    assertThat(first.headers().firstValue("Cache-Control")).hasValue("no-cache, private");

    HttpResponse<String> revalidated = b.get("/quotes/13", "If-None-Match", etag);
    assertThat(revalidated.statusCode()).as("same row, any instance").isEqualTo(304);
    assertThat(revalidated.body()).isEmpty();

    Quote written = quote(a.put("/quotes/13/discount", "{\"discountPercent\": 40}"));
    withinBound().until(() -> b.get("/quotes/13", "If-None-Match", etag).statusCode() == 200);
    HttpResponse<String> changed = b.get("/quotes/13", "If-None-Match", etag);
    assertThat(quote(changed)).isEqualTo(written);
    assertThat(changed.headers().firstValue("ETag")).hasValue("\"13." + written.version() + "\"");
  }

  @Test
  void invalidateAll_afterAChangeMadeInTheDatabaseDirectly_reachesEveryInstance() {
    Quote onA = quote(a.get("/quotes/14"));
    Quote onB = quote(b.get("/quotes/15"));
    sql("UPDATE prices SET list_cents = list_cents + 100, version = version + 1 WHERE product_id IN (14, 15)");
    assertThat(quote(a.get("/quotes/14"))).as("behind the cache's back: still the cached quote").isEqualTo(onA);

    assertThat(a.post("/quotes/invalidate-all").statusCode()).isEqualTo(204);
    withinBound().until(() -> quote(b.get("/quotes/15")).version() == onB.version() + 1);
    assertThat(quote(b.get("/quotes/15")).listCents()).isEqualTo(onB.listCents() + 100);
    assertThat(quote(a.get("/quotes/14")).version()).isEqualTo(onA.version() + 1);
  }

  @Test
  void badRequests_areRefusedWith400_andChangeNothing() {
    Quote before = quote(a.get("/quotes/16"));
    assertThat(a.put("/quotes/16/discount", "{\"discountPercent\": 100}").statusCode()).isEqualTo(400);
    assertThat(a.put("/quotes/16/discount", "{\"discountPercent\": -1}").statusCode()).isEqualTo(400);
    assertThat(quote(b.get("/quotes/16"))).isEqualTo(before);
  }

  @Test
  void aDatasourceUrlThatIsNotPostgres_failsStartUp_namingTheProperty() throws Exception {
    Process p = PricingInstances.launch("pricing-it-bad-url", List.of("-Dquarkus.http.port=0",
        "-Dquarkus.lamina.redis.address=" + redis.url(), "-Dquarkus.lamina.bus.nats.url=" + nats.url(),
        "-Dpricing.datasource.url=jdbc:mysql://127.0.0.1/prices"));
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("start-up fails rather than hangs").isTrue();
    assertThat(p.exitValue()).isNotZero();
    String log = Files.readString(Path.of("target", "pricing-it-bad-url.log"));
    assertThat(log)
        .contains("pricing.datasource.url must be a jdbc:postgresql: URL, was jdbc:mysql://127.0.0.1/prices");
  }

  /**
   * The dashboard and alert rules of {@code examples/observability} select services by an {@code application}
   * label and read Lamina's, Micrometer's cache and HTTP meters: the pricing service exports each of them under
   * {@code application="pricing"}, except the ones named here, which only the catalog has.
   */
  @Test
  void theObservabilityAssets_nameOnlyMetersThePricingServiceExports_butTheCatalogsOwn() throws IOException {
    quote(a.get("/quotes/17"));
    String scrape = a.get("/q/metrics").body();
    assertThat(scrape).contains("application=\"pricing\"");
    Set<String> exported = new TreeSet<>();
    scrape.lines().filter(l -> !l.startsWith("#") && !l.isBlank())
        .forEach(l -> exported.add(l.split("[{ ]", 2)[0]));
    Set<String> named = new TreeSet<>();
    for (String file : List.of("../observability/grafana/lamina-dashboard.json",
        "../observability/prometheus/lamina-alerts.yml")) {
      Matcher m = Pattern
          .compile("\\b((?:lamina|cache|catalog|http_server)_[a-zA-Z0-9_:]*)")
          .matcher(Files.readString(Path.of(file)));
      while (m.find()) {
        if (!m.group(1).endsWith("_")) { // a prefix in a description ("lamina_bus_*"), not a meter
          named.add(m.group(1));
        }
      }
    }
    assertThat(named).as("the assets were read").isNotEmpty();
    named.removeAll(exported);
    assertThat(named).as("named by the assets, not exported by pricing").containsExactlyInAnyOrder(MISSING);
  }

  /**
   * Meters the assets name that the pricing service does not export: the catalog's database counter (pricing has
   * its own, {@code pricing_db_queries_total}), and the warming meters, which exist only for a cache with warming
   * enabled (the catalog warms its featured products; pricing warms nothing). The load-time and L2-latency
   * histograms are exported: the extension gives every cache its timing listener.
   */
  private static final String[] MISSING = {"catalog_db_queries_total", "lamina_warming_keys",
      "lamina_warming_time_left_seconds"};
}
