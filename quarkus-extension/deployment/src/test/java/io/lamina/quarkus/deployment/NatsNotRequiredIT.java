package io.lamina.quarkus.deployment;

import static org.assertj.core.api.Assertions.assertThat;

import io.lamina.TieredCache;
import io.lamina.quarkus.LaminaCache;
import io.lamina.quarkus.deployment.Catalog.Product;
import io.lamina.quarkus.runtime.LaminaCaches;
import io.nats.client.Connection;
import io.quarkus.cache.Cache;
import io.quarkus.cache.CacheName;
import io.quarkus.test.QuarkusUnitTest;
import io.smallrye.health.SmallRyeHealthReporter;
import jakarta.inject.Inject;
import jakarta.json.JsonObject;
import java.time.Duration;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code quarkus.lamina.bus.nats.required=false} on real Redis, with NATS down at start-up: the application starts,
 * its caches degraded — a cached method still answers, from Redis, and L1 serves nothing — and readiness says NATS
 * is connecting; once NATS is up the bus connects in the background and the caches trust their L1 again. On
 * shutdown the caches close first, then the connection the bus made.
 */
@ExtendWith({TestServers.Required.class, TestServers.StoppableNats.class})
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class NatsNotRequiredIT {

  private static final String NS = "nats-not-required";
  private static final String STATE = "lamina.test.nats-not-required.state";

  @RegisterExtension
  static final QuarkusUnitTest APP = new QuarkusUnitTest()
      .withApplicationRoot(jar -> jar.addClasses(Catalog.class, Product.class, TestServers.class,
          ShutdownSteps.class))
      .overrideConfigKey("quarkus.cache.type", "lamina")
      .overrideConfigKey("quarkus.lamina.namespace", NS)
      .overrideConfigKey("quarkus.lamina.redis.address", TestServers.redisUrl())
      .overrideConfigKey("quarkus.lamina.bus.type", "nats")
      .overrideConfigKey("quarkus.lamina.bus.nats.url", TestServers.stoppedNatsUrl())
      .overrideConfigKey("quarkus.lamina.bus.nats.required", "false")
      .overrideConfigKey("quarkus.log.category.\"io.lamina.quarkus.runtime\".level", "DEBUG")
      .setLogRecordPredicate(r -> r.getLoggerName().startsWith("io.lamina.quarkus")
          && r.getLevel().intValue() == Level.INFO.intValue())
      .assertLogRecords(records -> assertThat(records).extracting(LogRecord::getMessage)
          .anySatisfy(m -> assertThat(m).startsWith("Lamina: namespace '" + NS + "'")
              .contains(", bus nats at " + TestServers.stoppedNatsUrl() + " (channel of namespace '" + NS + "',")
              .contains("not connected yet: caches start degraded (L1 bypassed, reads go to Redis)")))
      .setAfterUndeployListener(NatsNotRequiredIT::connectionIsClosedAfterTheCaches);

  @Inject
  Catalog catalog;

  @Inject
  @CacheName("products")
  Cache products;

  @Inject
  LaminaCaches caches;

  @Inject
  SmallRyeHealthReporter health;

  @Test
  @Order(1)
  void withNatsDown_theApplicationStartsDegraded_andServesFromRedis() {
    TieredCache<String, Object> tiered = products.as(LaminaCache.class).tiered();
    assertThat(caches.natsConnecting()).isTrue();
    assertThat(caches.natsConnection()).isNull();
    assertThat(caches.busName()).isEqualTo("nats");
    assertThat(tiered.coherence().trusted()).isFalse();

    catalog.rows.put(1L, "one");
    assertThat(catalog.find(1)).isEqualTo(new Product(1, "one"));
    assertThat(catalog.find(1)).isEqualTo(new Product(1, "one"));
    assertThat(catalog.productLoads).as("the second read came from Redis").hasValue(1);
    assertThat(TestServers.redis().command("EXISTS", NS + ":products:1:l:1")).isEqualTo(1L);
    assertThat(tiered.stats().l1().hits()).as("degraded: nothing served from L1").isZero();
    assertThat(tiered.stats().l2().hits()).isPositive();
  }

  @Test
  @Order(2)
  void whileConnecting_readinessSaysNatsIsDown_andCoherenceDegraded() {
    JsonObject payload = health.getReadiness().getPayload();
    assertThat(payload.getString("status")).isEqualTo("DOWN");
    JsonObject nats = check(payload, "Lamina NATS");
    assertThat(nats.getString("status")).isEqualTo("DOWN");
    assertThat(nats.getJsonObject("data").getString("status")).isEqualTo("CONNECTING");
    assertThat(nats.getJsonObject("data").getString("detail"))
        .contains("not connected yet", "quarkus.lamina.bus.nats.required=false");
    JsonObject coherence = check(payload, "Lamina coherence");
    assertThat(coherence.getString("status")).as("degraded is still UP").isEqualTo("UP");
    assertThat(coherence.getJsonObject("data").getString("status")).isEqualTo("DEGRADED");
    assertThat(check(payload, "Lamina Redis").getString("status")).isEqualTo("UP");
  }

  @Test
  @Order(3)
  void onceNatsIsUp_theBusConnects_andTheCachesTrustL1Again() {
    TieredCache<String, Object> tiered = products.as(LaminaCache.class).tiered();
    TestServers.restartStoppedNats();
    Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> tiered.coherence().trusted());
    assertThat(caches.natsConnecting()).isFalse();
    Connection connection = (Connection) caches.natsConnection();
    assertThat(connection).isNotNull();
    assertThat(connection.getStatus()).isEqualTo(Connection.Status.CONNECTED);

    long l1Hits = tiered.stats().l1().hits();
    assertThat(catalog.find(1)).isEqualTo(new Product(1, "one"));
    assertThat(catalog.find(1)).isEqualTo(new Product(1, "one"));
    assertThat(tiered.stats().l1().hits()).as("trusted: L1 serves again").isGreaterThan(l1Hits);
    assertThat(catalog.productLoads).hasValue(1);

    catalog.rename(1, "one, renamed");
    assertThat(catalog.find(1)).isEqualTo(new Product(1, "one, renamed"));

    Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> "UP".equals(health.getReadiness().getPayload()
        .getString("status")));
    JsonObject payload = health.getReadiness().getPayload();
    assertThat(check(payload, "Lamina NATS").getJsonObject("data").getString("status")).isEqualTo("CONNECTED");
    assertThat(check(payload, "Lamina coherence").getJsonObject("data").getString("status")).isEqualTo("TRUSTED");

    // JDK types only: the listener below runs outside the application's class loader, after it stopped.
    Supplier<String> state = () -> "nats=" + connection.getStatus();
    System.getProperties().put(STATE, state);
    ShutdownSteps.keep();
  }

  private static JsonObject check(JsonObject payload, String name) {
    return payload.getJsonArray("checks").getValuesAs(JsonObject.class).stream()
        .filter(c -> c.getString("name").equals(name)).findFirst()
        .orElseThrow(() -> new AssertionError("no readiness check " + name + " in " + payload));
  }

  @SuppressWarnings("unchecked")
  private static void connectionIsClosedAfterTheCaches() {
    Supplier<String> state = (Supplier<String>) System.getProperties().remove(STATE);
    assertThat(state).as("the test recorded the connection").isNotNull();
    assertThat(state.get()).isEqualTo("nats=CLOSED");
    ShutdownSteps.closedInOrder();
  }
}
