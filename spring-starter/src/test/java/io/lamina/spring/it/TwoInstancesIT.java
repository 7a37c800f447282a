package io.lamina.spring.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.lamina.spring.LaminaCaches;
import io.lamina.spring.it.ItApp.Catalog;
import io.lamina.spring.it.ItApp.Product;
import io.lamina.spring.it.ItApp.Reads;
import io.lamina.testkit.server.NatsServer;
import io.lamina.testkit.server.RedisServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.slf4j.Logger;
import org.springframework.boot.health.contributor.CompositeHealthContributor;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.slf4j.LoggerFactory;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Two application contexts, each with its own Redis and NATS connections, sharing one source, one Redis and one
 * bus: what {@code @CachePut} and {@code @CacheEvict} do on one instance is seen on the other within the bus
 * bound (the detection time, 2 s; in practice milliseconds).
 */
class TwoInstancesIT {

  private static final Logger log = LoggerFactory.getLogger(TwoInstancesIT.class);
  private static final Duration BOUND = Duration.ofSeconds(2);

  private static RedisServer redis;
  private static NatsServer nats;
  private final List<ConfigurableApplicationContext> contexts = new ArrayList<>();

  @BeforeAll
  static void servers() {
    redis = RedisServer.start();
    nats = NatsServer.start(false);
  }

  @AfterAll
  static void stopServers() {
    if (nats != null) {
      nats.close();
    }
    if (redis != null) {
      redis.close();
    }
  }

  @AfterEach
  void stopInstances() {
    contexts.forEach(ConfigurableApplicationContext::close);
    ItApp.ROWS.clear();
  }

  private ConfigurableApplicationContext instance(String bus, String namespace, String... more) {
    List<String> props = new ArrayList<>(List.of(
        "lamina.namespace=" + namespace,
        "lamina.redis.address=" + redis.url(),
        "lamina.bus.type=" + bus,
        "lamina.bus.nats.url=" + nats.url(),
        "lamina.caches.products.value-types=" + Product.class.getName()));
    props.addAll(List.of(more));
    ConfigurableApplicationContext ctx = ItApp.start(false, props.toArray(String[]::new));
    contexts.add(ctx);
    return ctx;
  }

  private static ConditionFactory await() {
    return Awaitility.await().atMost(BOUND).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(2));
  }

  private static void awaitTrusted(ConfigurableApplicationContext... instances) {
    Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> {
      for (ConfigurableApplicationContext ctx : instances) {
        if (!ctx.getBean(LaminaCaches.class).get("products").coherence().trusted()) {
          return false;
        }
      }
      return true;
    });
  }

  @ParameterizedTest
  @ValueSource(strings = {"nats", "redis"})
  void cachePutAndCacheEvict_onOneInstance_areSeenOnTheOther(String bus) {
    String namespace = "two-" + bus;
    ConfigurableApplicationContext a = instance(bus, namespace);
    ConfigurableApplicationContext b = instance(bus, namespace);
    Catalog onA = a.getBean(Catalog.class);
    Catalog onB = b.getBean(Catalog.class);
    awaitTrusted(a, b);
    CompositeHealthContributor health = (CompositeHealthContributor) b.getBean("laminaHealthContributor");
    assertThat(((HealthIndicator) health.getContributor("redis")).health().getStatus()).isEqualTo(Status.UP);
    if (bus.equals("nats")) {
      assertThat(((HealthIndicator) health.getContributor("nats")).health().getStatus()).isEqualTo(Status.UP);
    }

    ItApp.ROWS.put(1L, new Product(1, "first"));
    assertThat(onA.find(1)).isEqualTo(new Product(1, "first"));
    assertThat(onB.find(1)).as("B fills its L1 from Redis").isEqualTo(new Product(1, "first"));
    assertThat(b.getBean(Reads.class).count()).as("B never read the source").isZero();
    assertThat(onB.find(1)).isEqualTo(new Product(1, "first"));

    long start = System.nanoTime();
    onA.rename(1, "second");
    await().until(() -> onB.find(1).equals(new Product(1, "second")));
    log.info("{} bus: B saw A's @CachePut after {} µs", bus, (System.nanoTime() - start) / 1000);
    assertThat(b.getBean(Reads.class).count()).as("B reloaded once").isEqualTo(1);

    start = System.nanoTime();
    onA.delete(1);
    await().until(() -> onB.find(1) == null);
    log.info("{} bus: B saw A's @CacheEvict after {} µs", bus, (System.nanoTime() - start) / 1000);

    ItApp.ROWS.put(2L, new Product(2, "two"));
    onB.find(2);
    ItApp.ROWS.put(2L, new Product(2, "two, changed at the source"));
    onA.reloadAll();
    await().until(() -> onB.find(2).name().equals("two, changed at the source"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"nats"})
  void storeMode_theOtherInstanceReadsTheNewValueFromRedis(String bus) {
    String namespace = "store-" + bus;
    ConfigurableApplicationContext a = instance(bus, namespace, "lamina.caches.products.put-mode=store");
    ConfigurableApplicationContext b = instance(bus, namespace, "lamina.caches.products.put-mode=store");
    Catalog onA = a.getBean(Catalog.class);
    Catalog onB = b.getBean(Catalog.class);
    awaitTrusted(a, b);

    ItApp.ROWS.put(1L, new Product(1, "first"));
    onA.find(1);
    onB.find(1);
    onA.rename(1, "second");
    await().until(() -> onB.find(1).equals(new Product(1, "second")));
    assertThat(b.getBean(Reads.class).count()).as("B got the new value from Redis, not the source").isZero();
  }

  @ParameterizedTest
  @ValueSource(strings = {"none"})
  void withoutABus_theOtherInstanceKeepsItsL1_whichIsWhyTheBusExists(String bus) {
    ConfigurableApplicationContext a = instance(bus, "nobus");
    ConfigurableApplicationContext b = instance(bus, "nobus");
    Catalog onA = a.getBean(Catalog.class);
    Catalog onB = b.getBean(Catalog.class);
    ItApp.ROWS.put(1L, new Product(1, "first"));
    onA.find(1);
    onB.find(1);
    onA.rename(1, "second");
    assertThat(onA.find(1).name()).isEqualTo("second");
    assertThat(onB.find(1).name()).as("B's L1 is not told").isEqualTo("first");
  }
}
