package io.lamina.quarkus.deployment;

import static org.assertj.core.api.Assertions.assertThat;

import io.lamina.bus.NatsInvalidationBus;
import io.lamina.quarkus.runtime.LaminaCaches;
import io.nats.client.Connection;
import io.quarkus.test.QuarkusUnitTest;
import io.smallrye.health.SmallRyeHealthReporter;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import jakarta.json.JsonObject;
import java.time.Duration;
import org.awaitility.Awaitility;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.redisson.Redisson;
import org.redisson.api.RedissonClient;
import org.redisson.config.Config;

/**
 * The application's own {@link RedissonClient} and NATS {@link Connection} beans win over
 * {@code quarkus.lamina.redis.*} and {@code quarkus.lamina.bus.nats.url} (which point nowhere here), and the
 * caches work through them. Then the NATS connection goes away: readiness reports it, and coherence as degraded
 * but still UP.
 */
@ExtendWith(TestServers.Required.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class OwnClientsIT {

  @RegisterExtension
  static final QuarkusUnitTest APP = new QuarkusUnitTest()
      .withApplicationRoot(jar -> jar.addClasses(Catalog.class, Catalog.Product.class, TestServers.class,
          Clients.class))
      .overrideConfigKey("quarkus.cache.type", "lamina")
      .overrideConfigKey("quarkus.lamina.namespace", "own-clients")
      .overrideConfigKey("quarkus.lamina.redis.address", "redis://127.0.0.1:1")
      .overrideConfigKey("quarkus.lamina.bus.type", "nats")
      .overrideConfigKey("quarkus.lamina.bus.nats.url", "nats://127.0.0.1:1")
      .overrideConfigKey("app.redis", TestServers.redisUrl())
      .overrideConfigKey("app.nats", TestServers.natsUrl());

  /** The application's clients. */
  @Singleton
  public static class Clients {

    @Produces
    @Singleton
    RedissonClient redisson(@ConfigProperty(name = "app.redis") String url) {
      Config config = new Config();
      config.useSingleServer().setAddress(url);
      return Redisson.create(config);
    }

    void close(@Disposes RedissonClient client) {
      client.shutdown();
    }

    @Produces
    @Singleton
    Connection nats(@ConfigProperty(name = "app.nats") String url) throws Exception {
      return NatsInvalidationBus.connect(url);
    }

    void close(@Disposes Connection connection) throws InterruptedException {
      connection.close();
    }
  }

  @Inject
  Catalog catalog;

  @Inject
  LaminaCaches caches;

  @Inject
  RedissonClient redisson;

  @Inject
  Connection nats;

  @Inject
  SmallRyeHealthReporter health;

  @Test
  @Order(1)
  void theApplicationsClientsAreUsed() {
    assertThat(caches.redisson()).isSameAs(redisson);
    assertThat(caches.natsConnection()).isSameAs(nats);
    assertThat(caches.busName()).isEqualTo("nats");

    catalog.rows.put(5L, "five");
    catalog.find(5);
    catalog.find(5);
    assertThat(catalog.productLoads).hasValue(1);
    assertThat(TestServers.redis().command("EXISTS", "own-clients:products:1:l:5")).isEqualTo(1L);
    Awaitility.await().atMost(Duration.ofSeconds(10))
        .until(() -> caches.get("products").tiered().coherence().trusted());
    assertThat(health.getReadiness().getPayload().toString()).contains("\"status\":\"TRUSTED\"");
  }

  /** Runs last: it takes the bus away. */
  @Test
  @Order(2)
  void withoutTheBus_readinessSaysNatsIsDown_andCoherenceDegraded_butStillUp() throws Exception {
    nats.close();
    Awaitility.await().atMost(Duration.ofSeconds(10))
        .until(() -> !caches.get("products").tiered().coherence().trusted());
    JsonObject payload = health.getReadiness().getPayload();
    JsonObject coherence = check(payload, "Lamina coherence");
    assertThat(coherence.getString("status")).as("degraded is still UP").isEqualTo("UP");
    assertThat(coherence.getJsonObject("data").getString("status")).isEqualTo("DEGRADED");
    assertThat(coherence.getJsonObject("data").getString("reason")).contains("products");
    assertThat(check(payload, "Lamina NATS").getString("status")).isEqualTo("DOWN");
    assertThat(check(payload, "Lamina Redis").getString("status")).isEqualTo("UP");

    catalog.rows.put(6L, "six");
    assertThat(catalog.find(6)).as("a degraded instance still answers").isEqualTo(new Catalog.Product(6, "six"));
  }

  private static JsonObject check(JsonObject payload, String name) {
    return payload.getJsonArray("checks").getValuesAs(JsonObject.class).stream()
        .filter(c -> c.getString("name").equals(name)).findFirst()
        .orElseThrow(() -> new AssertionError("no check " + name + " in " + payload));
  }
}
