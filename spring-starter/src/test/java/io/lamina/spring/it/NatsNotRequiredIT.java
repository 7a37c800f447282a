package io.lamina.spring.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.lamina.TieredCache;
import io.lamina.bus.BackgroundNatsBus;
import io.lamina.spring.LaminaCaches;
import io.lamina.spring.it.ItApp.Catalog;
import io.lamina.spring.it.ItApp.Product;
import io.lamina.spring.it.ItApp.Reads;
import io.lamina.testkit.server.NatsServer;
import io.lamina.testkit.server.RedisServer;
import io.nats.client.Connection;
import java.time.Duration;
import java.util.Objects;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.boot.health.contributor.CompositeHealthContributor;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * {@code lamina.bus.nats.required=false} against real servers: the application starts while nothing answers at
 * {@code lamina.bus.nats.url}; its cache serves from Redis without trusting L1 and the nats health part is DOWN;
 * once NATS answers at that URL the cache trusts its L1 again and the part is UP; the bus and its connection are
 * closed with the context. Plain NATS and JetStream.
 */
@Timeout(120)
class NatsNotRequiredIT {

  private static RedisServer redis;
  private ConfigurableApplicationContext app;

  @BeforeAll
  static void startRedis() {
    redis = RedisServer.start();
  }

  @AfterAll
  static void stopRedis() {
    if (redis != null) {
      redis.close();
    }
  }

  @AfterEach
  void stopApp() {
    if (app != null) {
      app.close();
    }
    ItApp.ROWS.clear();
  }

  private static Health natsHealth(ConfigurableApplicationContext ctx) {
    CompositeHealthContributor lamina = (CompositeHealthContributor) ctx.getBean("laminaHealthContributor");
    return ((HealthIndicator) Objects.requireNonNull(lamina.getContributor("nats"))).health();
  }

  @ParameterizedTest(name = "jetstream={0}")
  @ValueSource(booleans = {false, true})
  void startedWhileNatsIsDown_servesFromL2_thenTrustsL1OnceNatsAnswers(boolean jetstream) {
    try (NatsServer nats = NatsServer.start(jetstream)) {
      nats.stop(); // nothing listens on its port now; restart() brings NATS back there
      app = ItApp.start(false,
          "lamina.namespace=nats-not-required-" + jetstream,
          "lamina.redis.address=" + redis.url(),
          "lamina.bus.type=nats",
          "lamina.bus.nats.url=" + nats.url(),
          "lamina.bus.nats.required=false",
          "lamina.bus.nats.jetstream=" + jetstream,
          "lamina.caches.products.value-types=" + Product.class.getName());
      assertThat(app.getBeanProvider(Connection.class).getIfAvailable()).as("no connection at start").isNull();
      BackgroundNatsBus bus = app.getBean(BackgroundNatsBus.class);
      assertThat(bus.connected()).isFalse();
      TieredCache<String, Object> products = app.getBean(LaminaCaches.class).get("products");
      Catalog catalog = app.getBean(Catalog.class);
      Reads reads = app.getBean(Reads.class);

      ItApp.ROWS.put(1L, new Product(1, "one"));
      assertThat(catalog.find(1)).isEqualTo(new Product(1, "one"));
      assertThat(catalog.find(1)).isEqualTo(new Product(1, "one"));
      assertThat(reads.count()).as("the second read came from Redis").isEqualTo(1);
      assertThat(products.coherence().trusted()).isFalse();
      assertThat(products.stats().l1().hits()).as("degraded: nothing served from L1").isZero();
      assertThat(products.stats().l2().hits()).isPositive();
      Health down = natsHealth(app);
      assertThat(down.getStatus()).isEqualTo(Status.DOWN);
      assertThat(down.getDetails()).containsEntry("status", "NOT_CONNECTED");

      nats.restart();
      Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> products.coherence().trusted());
      assertThat(bus.connected()).isTrue();
      assertThat(natsHealth(app).getStatus()).isEqualTo(Status.UP);
      catalog.find(1);
      catalog.find(1);
      assertThat(products.stats().l1().hits()).as("trusted: L1 serves again").isPositive();
      assertThat(reads.count()).isEqualTo(1);

      Connection connection = Objects.requireNonNull(bus.connection());
      app.close();
      assertThat(connection.getStatus()).as("closed with the context").isEqualTo(Connection.Status.CLOSED);
    }
  }
}
