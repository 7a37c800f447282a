package io.lamina.quarkus.deployment;

import static org.assertj.core.api.Assertions.assertThat;

import io.lamina.quarkus.runtime.LaminaCaches;
import io.nats.client.Connection;
import io.quarkus.test.QuarkusUnitTest;
import jakarta.inject.Inject;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.redisson.api.RedissonClient;

/**
 * When the application stops, the caches close first — while the clients are still open, so each cache's bus
 * node can say goodbye — and then the Redis and NATS clients the extension created are closed. Checked on the
 * clients themselves once the application is gone ({@code isShutdown()}, the NATS connection's status), and on the
 * order of the extension's own records of each step.
 */
@ExtendWith(TestServers.Required.class)
class ShutdownOrderIT {

  private static final String STATE = "lamina.test.shutdown.state";

  @RegisterExtension
  static final QuarkusUnitTest APP = new QuarkusUnitTest()
      .withApplicationRoot(jar -> jar.addClasses(Catalog.class, Catalog.Product.class, TestServers.class,
          ShutdownSteps.class))
      .overrideConfigKey("quarkus.cache.type", "lamina")
      .overrideConfigKey("quarkus.lamina.namespace", "shutdown-order")
      .overrideConfigKey("quarkus.lamina.redis.address", TestServers.redisUrl())
      .overrideConfigKey("quarkus.lamina.bus.type", "nats")
      .overrideConfigKey("quarkus.lamina.bus.nats.url", TestServers.natsUrl())
      .overrideConfigKey("quarkus.log.category.\"io.lamina.quarkus.runtime\".level", "DEBUG")
      .setAfterUndeployListener(ShutdownOrderIT::clientsAreClosedInOrder);

  @Inject
  Catalog catalog;

  @Inject
  LaminaCaches caches;

  @Test
  void whileRunning_theExtensionsOwnClientsAreOpen() {
    catalog.rows.put(1L, "one");
    assertThat(catalog.find(1)).isEqualTo(new Catalog.Product(1, "one"));
    RedissonClient redisson = caches.redisson();
    Connection nats = (Connection) caches.natsConnection();
    assertThat(redisson.isShutdown()).isFalse();
    assertThat(nats.getStatus()).isEqualTo(Connection.Status.CONNECTED);
    // JDK types only: the listener below runs outside the application's class loader, after it stopped.
    Supplier<String> state = () -> "redisson shut down=" + redisson.isShutdown() + ", nats=" + nats.getStatus();
    System.getProperties().put(STATE, state);
    ShutdownSteps.keep();
  }

  @SuppressWarnings("unchecked")
  private static void clientsAreClosedInOrder() {
    Supplier<String> state = (Supplier<String>) System.getProperties().remove(STATE);
    assertThat(state).as("the test recorded the clients").isNotNull();
    assertThat(state.get()).isEqualTo("redisson shut down=true, nats=CLOSED");
    ShutdownSteps.closedInOrder();
  }
}
