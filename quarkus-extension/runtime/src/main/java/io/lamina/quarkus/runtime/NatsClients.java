package io.lamina.quarkus.runtime;

import io.lamina.bus.NatsInvalidationBus;
import io.lamina.quarkus.runtime.LaminaConfig.Nats;
import io.lamina.spi.InvalidationBus;
import io.nats.client.Connection;
import io.quarkus.arc.Arc;
import io.quarkus.arc.InstanceHandle;
import io.quarkus.runtime.configuration.ConfigurationException;
import java.io.IOException;
import java.util.Set;

/** The NATS side of the bus; loaded only with {@code quarkus.lamina.bus.type=nats}, so jnats stays optional. */
final class NatsClients {

  private final Connection connection;
  private final boolean owned;

  private NatsClients(Connection connection, boolean owned) {
    this.connection = connection;
    this.owned = owned;
  }

  /** The application's {@link Connection} bean, or one opened on {@code quarkus.lamina.bus.nats.url}. */
  static NatsClients open(Nats nats) {
    InstanceHandle<Connection> bean = Arc.container().instance(Connection.class);
    if (bean.isAvailable()) {
      return new NatsClients(bean.get(), false);
    }
    String url = nats.url();
    try {
      return new NatsClients(NatsInvalidationBus.connect(url), true);
    } catch (IOException | RuntimeException e) {
      throw new IllegalStateException("NATS cannot be reached at quarkus.lamina.bus.nats.url=" + url + " ("
          + e.getMessage() + "); start it, correct the URL, or choose another quarkus.lamina.bus.type", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while connecting to NATS at " + url, e);
    }
  }

  InvalidationBus bus(Nats nats) {
    try {
      return nats.jetstream() ? NatsInvalidationBus.withJetStream(connection, nats.retention())
          : NatsInvalidationBus.of(connection);
    } catch (IllegalArgumentException e) {
      throw new ConfigurationException("quarkus.lamina.bus.type=nats: " + e.getMessage(),
          Set.of("quarkus.lamina.bus.type"));
    }
  }

  Connection connection() {
    return connection;
  }

  boolean owned() {
    return owned;
  }

  void close() throws InterruptedException {
    if (owned) {
      connection.close();
    }
  }
}
