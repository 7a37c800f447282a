package io.lamina.spring.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.lamina.spi.RemoteEntry.State;
import io.lamina.spring.LaminaCaches;
import io.lamina.spring.it.ItApp.Catalog;
import io.lamina.spring.it.ItApp.Product;
import io.lamina.testkit.server.RedisServer;
import java.time.Duration;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.health.contributor.CompositeHealthContributor;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Redis stops answering (SIGSTOP): cached methods still answer within the remote timeout, from the source
 * (remote-failure-mode bypass), the Redis health part turns DOWN, and everything recovers when Redis does.
 */
class RedisOutageIT {

  private static RedisServer redis;
  private static ConfigurableApplicationContext app;

  @BeforeAll
  static void start() {
    redis = RedisServer.start();
    app = ItApp.start(false,
        "lamina.namespace=outage-it",
        "lamina.redis.address=" + redis.url(),
        "lamina.bus.type=none",
        "lamina.caches.products.value-types=" + Product.class.getName(),
        "lamina.caches.products.remote-timeout=300ms",
        "lamina.redis.timeout=300ms");
  }

  @AfterAll
  static void stop() {
    if (redis != null) {
      redis.resume();
    }
    if (app != null) {
      app.close();
    }
    if (redis != null) {
      redis.close();
    }
  }

  @Test
  void whileRedisIsFrozen_methodsAnswerFromTheSource_andHealthSaysDown() {
    Catalog catalog = app.getBean(Catalog.class);
    HealthIndicator redisHealth = (HealthIndicator) ((CompositeHealthContributor)
        app.getBean("laminaHealthContributor")).getContributor("redis");
    ItApp.ROWS.put(5L, new Product(5, "five"));
    assertThat(redisHealth.health().getStatus()).isEqualTo(Status.UP);

    redis.pause();
    try {
      long start = System.nanoTime();
      assertThat(catalog.find(5)).isEqualTo(new Product(5, "five"));
      Duration took = Duration.ofNanos(System.nanoTime() - start);
      assertThat(took).as("bounded by the remote timeout, not stuck").isLessThan(Duration.ofSeconds(3));
      assertThat(redisHealth.health().getStatus()).isEqualTo(Status.DOWN);
      assertThat(app.getBean(LaminaCaches.class).get("products").stats().remoteFailures()).isPositive();
    } finally {
      redis.resume();
    }
    Awaitility.await().atMost(Duration.ofSeconds(10))
        .until(() -> redisHealth.health().getStatus().equals(Status.UP));
    ItApp.ROWS.put(6L, new Product(6, "six"));
    assertThat(catalog.find(6)).isEqualTo(new Product(6, "six"));
    Awaitility.await().atMost(Duration.ofSeconds(5))
        .until(() -> app.getBean(LaminaCaches.class).get("products").inspect("l:6").l2().state() == State.VALUE);
  }
}
