package io.lamina.quarkus.deployment;

import static org.assertj.core.api.Assertions.assertThat;

import io.lamina.bus.NatsInvalidationBus;
import io.lamina.quarkus.runtime.LaminaCaches;
import io.nats.client.Connection;
import io.quarkus.test.QuarkusUnitTest;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.util.function.Supplier;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.redisson.Redisson;
import org.redisson.api.RedissonClient;
import org.redisson.config.Config;

/**
 * Clients the application produces stay the application's: when it stops, the extension closes its caches but
 * not the application's {@link RedissonClient} nor its NATS {@link Connection} (these producers have no disposer,
 * so nothing else closes them either). Checked on the clients after the application has stopped.
 */
@ExtendWith(TestServers.Required.class)
class AppClientsStayOpenIT {

  private static final String STATE = "lamina.test.app-clients.state";
  private static final String CLOSE = "lamina.test.app-clients.close";

  @RegisterExtension
  static final QuarkusUnitTest APP = new QuarkusUnitTest()
      .withApplicationRoot(jar -> jar.addClasses(Catalog.class, Catalog.Product.class, TestServers.class,
          Clients.class))
      .overrideConfigKey("quarkus.cache.type", "lamina")
      .overrideConfigKey("quarkus.lamina.namespace", "app-clients")
      .overrideConfigKey("quarkus.lamina.bus.type", "nats")
      .overrideConfigKey("app.redis", TestServers.redisUrl())
      .overrideConfigKey("app.nats", TestServers.natsUrl())
      .setAfterUndeployListener(AppClientsStayOpenIT::clientsAreStillOpen);

  /** The application's clients, without disposers. */
  @Singleton
  public static class Clients {

    @Produces
    @Singleton
    RedissonClient redisson(@ConfigProperty(name = "app.redis") String url) {
      Config config = new Config();
      config.useSingleServer().setAddress(url);
      return Redisson.create(config);
    }

    @Produces
    @Singleton
    Connection nats(@ConfigProperty(name = "app.nats") String url) throws Exception {
      return NatsInvalidationBus.connect(url);
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

  @Test
  void theCachesUseTheApplicationsClients() {
    assertThat(caches.redisson()).isSameAs(redisson);
    assertThat(caches.natsConnection()).isSameAs(nats);
    catalog.rows.put(1L, "one");
    assertThat(catalog.find(1)).isEqualTo(new Catalog.Product(1, "one"));
    RedissonClient r = redisson;
    Connection n = nats;
    Supplier<String> state = () -> "redisson shut down=" + r.isShutdown() + ", nats=" + n.getStatus();
    Runnable close = () -> {
      r.shutdown();
      try {
        n.close();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    };
    System.getProperties().put(STATE, state);
    System.getProperties().put(CLOSE, close);
  }

  @SuppressWarnings("unchecked")
  private static void clientsAreStillOpen() {
    Supplier<String> state = (Supplier<String>) System.getProperties().remove(STATE);
    Runnable close = (Runnable) System.getProperties().remove(CLOSE);
    assertThat(state).as("the test recorded the clients").isNotNull();
    try {
      assertThat(state.get()).isEqualTo("redisson shut down=false, nats=CONNECTED");
    } finally {
      close.run();
    }
  }
}
