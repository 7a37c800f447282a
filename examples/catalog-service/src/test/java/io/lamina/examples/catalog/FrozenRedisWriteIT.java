package io.lamina.examples.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import io.lamina.examples.catalog.CatalogInstances.Instance;
import io.lamina.testkit.server.NatsServer;
import io.lamina.testkit.server.RedisServer;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Redis frozen (SIGSTOP): reads go on, and a write is refused before the database is touched, because the
 * product could not be invalidated first; had the row changed, every other instance would keep serving the old
 * one from its L1 and Redis would hand it out again once back.
 */
class FrozenRedisWriteIT {

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
    a = instances.start("lamina.redis.timeout=300ms", "lamina.defaults.remote-timeout=300ms");
    b = instances.start("lamina.redis.timeout=300ms", "lamina.defaults.remote-timeout=300ms");
  }

  @AfterAll
  static void stop() {
    if (redis != null) {
      redis.resume();
    }
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

  @Test
  void whileRedisIsFrozen_readsAnswer_writesAreRefusedUnchanged_andAfterwardsBothInstancesAgree() {
    Product before = a.product(a.get("/products/21"));
    assertThat(b.product(b.get("/products/21"))).isEqualTo(before);

    redis.pause();
    try {
      assertThat(b.get("/products/21").statusCode()).as("an L1 hit needs no Redis").isEqualTo(200);
      assertThat(b.get("/products/22").statusCode()).as("a miss is loaded from the database").isEqualTo(200);
      HttpResponse<String> write = a.put("/products/21/price", "{\"priceCents\": 1}");
      assertThat(write.statusCode()).isEqualTo(503);
      assertThat(write.headers().firstValue("Retry-After")).contains("1");
    } finally {
      redis.resume();
    }
    assertThat(b.product(b.get("/products/21"))).as("the database row is unchanged").isEqualTo(before);

    Awaitility.await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(200))
        .until(() -> a.put("/products/21/price", "{\"priceCents\": 2}").statusCode() == 200);
    Awaitility.await().atMost(Duration.ofSeconds(2)).pollInterval(Duration.ofMillis(2))
        .until(() -> b.product(b.get("/products/21")).priceCents() == 2);
  }
}
