package io.lamina.quarkus.runtime;

import io.lamina.Redact;
import io.lamina.bus.NatsConnectionSettings;
import io.lamina.bus.NatsConnectionSettings.InvalidSettingException;
import io.lamina.bus.NatsInvalidationBus;
import io.lamina.quarkus.runtime.LaminaConfig.Nats;
import io.lamina.quarkus.runtime.LaminaConfig.Tls;
import io.nats.client.AuthenticationException;
import io.lamina.spi.InvalidationBus;
import io.nats.client.Connection;
import io.quarkus.arc.Arc;
import io.quarkus.arc.InstanceHandle;
import io.quarkus.runtime.configuration.ConfigurationException;
import java.io.IOException;
import java.util.Set;

/** The NATS side of the bus; loaded only with {@code quarkus.lamina.bus.type=nats}, so jnats stays optional. */
final class NatsClients {

  private static final String PREFIX = "quarkus.lamina.bus.nats.";

  private final Connection connection;
  private final boolean owned;

  private NatsClients(Connection connection, boolean owned) {
    this.connection = connection;
    this.owned = owned;
  }

  /** The application's {@link Connection} bean, or one opened from {@code quarkus.lamina.bus.nats.*}. */
  static NatsClients open(Nats nats) {
    InstanceHandle<Connection> bean = Arc.container().instance(Connection.class);
    if (bean.isAvailable()) {
      return new NatsClients(bean.get(), false);
    }
    NatsConnectionSettings settings = settings(nats);
    String url = settings.redactedUrl();
    try {
      return new NatsClients(NatsInvalidationBus.connect(settings), true);
    } catch (AuthenticationException e) {
      throw new IllegalStateException("NATS at " + PREFIX + "url=" + url + " refused the credentials ("
          + Redact.userInfo(e.getMessage()) + "); correct " + PREFIX + "token, username/password,"
          + " credentials-file or nkey-seed-file", Redact.causes(e));
    } catch (IOException | RuntimeException e) {
      throw new IllegalStateException("NATS cannot be reached at " + PREFIX + "url=" + url + " ("
          + Redact.userInfo(e.getMessage()) + "); start it, correct the URL, or choose another"
          + " quarkus.lamina.bus.type", Redact.causes(e));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while connecting to NATS at " + url, e);
    }
  }

  /** The settings from {@code quarkus.lamina.bus.nats.*}; a bad one fails naming its property, never its value. */
  static NatsConnectionSettings settings(Nats nats) {
    Tls tls = nats.tls();
    try {
      return NatsConnectionSettings.custom(PREFIX).url(nats.url())
          .credentialsFile(nats.credentialsFile().orElse(null)).nkeySeedFile(nats.nkeySeedFile().orElse(null))
          .token(nats.token().orElse(null)).userInfo(nats.username().orElse(null), nats.password().orElse(null))
          .tls(tls.enabled())
          .trustStore(tls.trustStore().orElse(null), tls.trustStorePassword().orElse(null), tls.trustStoreType())
          .keyStore(tls.keyStore().orElse(null), tls.keyStorePassword().orElse(null), tls.keyStoreType())
          .build();
    } catch (InvalidSettingException e) {
      throw new ConfigurationException(e.getMessage(), Set.of(e.setting()));
    }
  }

  InvalidationBus bus(Nats nats) {
    try {
      return nats.jetstream()
          ? NatsInvalidationBus.withJetStream(connection, nats.retention(), nats.maxBytes().asLongValue())
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
