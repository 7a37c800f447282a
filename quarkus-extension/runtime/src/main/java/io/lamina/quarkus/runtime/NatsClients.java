package io.lamina.quarkus.runtime;

import io.lamina.Redact;
import io.lamina.bus.BackgroundNatsBus;
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
import java.util.Objects;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * The NATS side of the bus; loaded only with {@code quarkus.lamina.bus.type=nats}, so jnats stays optional. The
 * connection is the application's bean, one opened at start-up, or — with {@code quarkus.lamina.bus.nats.required}
 * false — one a {@link BackgroundNatsBus} keeps trying to open while the application runs.
 */
final class NatsClients {

  private static final String PREFIX = "quarkus.lamina.bus.nats.";

  private final @Nullable Connection connection;
  private final @Nullable BackgroundNatsBus background;
  private final boolean owned;

  private NatsClients(@Nullable Connection connection, @Nullable BackgroundNatsBus background, boolean owned) {
    this.connection = connection;
    this.background = background;
    this.owned = owned;
  }

  /**
   * The application's {@link Connection} bean, or one opened from {@code quarkus.lamina.bus.nats.*}: at once when
   * {@code required} (failing start-up if NATS cannot be reached), else in the background.
   */
  static NatsClients open(Nats nats) {
    InstanceHandle<Connection> bean = Arc.container().instance(Connection.class);
    if (bean.isAvailable()) {
      return new NatsClients(bean.get(), null, false);
    }
    NatsConnectionSettings settings = settings(nats);
    if (!nats.required()) {
      return new NatsClients(null, inBackground(nats, settings), true);
    }
    String url = settings.redactedUrl();
    try {
      return new NatsClients(NatsInvalidationBus.connect(settings), null, true);
    } catch (AuthenticationException e) {
      throw new IllegalStateException("NATS at " + PREFIX + "url=" + url + " refused the credentials ("
          + Redact.userInfo(e.getMessage()) + "); correct " + PREFIX + "token, username/password,"
          + " credentials-file or nkey-seed-file", Redact.causes(e));
    } catch (IOException | RuntimeException e) {
      throw new IllegalStateException("NATS cannot be reached at " + PREFIX + "url=" + url + " ("
          + Redact.userInfo(e.getMessage()) + "); start it, correct the URL, set " + PREFIX + "required=false"
          + " to start without it, or choose another quarkus.lamina.bus.type", Redact.causes(e));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while connecting to NATS at " + url, e);
    }
  }

  private static BackgroundNatsBus inBackground(Nats nats, NatsConnectionSettings settings) {
    try {
      return nats.jetstream()
          ? NatsInvalidationBus.connectInBackground(settings, nats.retention(), nats.maxBytes().asLongValue())
          : NatsInvalidationBus.connectInBackground(settings);
    } catch (InvalidSettingException e) {
      throw new ConfigurationException(e.getMessage(), Set.of(e.setting()));
    } catch (IllegalArgumentException e) {
      throw invalid(e);
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
    if (background != null) {
      return background;
    }
    try {
      Connection c = Objects.requireNonNull(connection, "a connection or a background bus");
      return nats.jetstream()
          ? NatsInvalidationBus.withJetStream(c, nats.retention(), nats.maxBytes().asLongValue())
          : NatsInvalidationBus.of(c);
    } catch (IllegalArgumentException e) {
      throw invalid(e);
    }
  }

  private static ConfigurationException invalid(IllegalArgumentException e) {
    return new ConfigurationException("quarkus.lamina.bus.type=nats: " + e.getMessage(),
        Set.of("quarkus.lamina.bus.type"));
  }

  /** The connection; null while a background bus has not connected yet. */
  @Nullable Connection connection() {
    return background != null ? background.connection() : connection;
  }

  /** Whether a background bus is still connecting (so every cache on it is degraded). */
  boolean connecting() {
    return background != null && !background.connected();
  }

  boolean owned() {
    return owned;
  }

  /** Closes the connection (or stops connecting) when this side opened it; never the application's. */
  void close() throws InterruptedException {
    if (background != null) {
      background.close();
    } else if (owned && connection != null) {
      connection.close();
    }
  }
}
