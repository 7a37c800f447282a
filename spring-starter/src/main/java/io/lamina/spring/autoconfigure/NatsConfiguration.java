package io.lamina.spring.autoconfigure;

import io.lamina.Redact;
import io.lamina.bus.BackgroundNatsBus;
import io.lamina.bus.NatsConnectionSettings;
import io.lamina.bus.NatsConnectionSettings.InvalidSettingException;
import io.lamina.bus.NatsInvalidationBus;
import io.lamina.spi.InvalidationBus;
import io.lamina.spring.autoconfigure.LaminaProperties.Nats;
import io.lamina.spring.autoconfigure.LaminaProperties.Tls;
import io.nats.client.AuthenticationException;
import io.nats.client.Connection;
import java.io.IOException;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The bus on core NATS ({@code lamina.bus.type=nats}): the application's {@link Connection}, or one opened from
 * {@code lamina.bus.nats.*} (URL, credentials, TLS) with options fit for invalidations and closed with the
 * context. With {@code lamina.bus.nats.required=false} (and no such bean) the connection is made in the background
 * by a {@link BackgroundNatsBus}, which the context closes after the caches: the application starts while NATS is
 * down, its caches degraded (reading L2) until the connection is made. Without jnats on the classpath this does
 * not apply, and {@link CachesConfiguration} says why at start-up. Messages show the URL without its user-info
 * and never a secret.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnClass(name = "io.nats.client.Connection")
@ConditionalOnProperty(name = "lamina.bus.type", havingValue = "nats")
class NatsConfiguration {

  private static final String PREFIX = "lamina.bus.nats.";

  @Bean(destroyMethod = "close")
  @ConditionalOnMissingBean(Connection.class)
  @ConditionalOnBooleanProperty(name = "lamina.bus.nats.required", matchIfMissing = true)
  Connection laminaNatsConnection(LaminaProperties properties) {
    NatsConnectionSettings settings = settings(properties.getBus().getNats());
    String url = settings.redactedUrl();
    try {
      return NatsInvalidationBus.connect(settings);
    } catch (AuthenticationException e) {
      throw new IllegalStateException("NATS at " + PREFIX + "url=" + url + " refused the credentials ("
          + Redact.userInfo(e.getMessage()) + "); correct " + PREFIX + "token, username/password,"
          + " credentials-file or nkey-seed-file", Redact.causes(e));
    } catch (IOException | RuntimeException e) {
      throw new IllegalStateException("NATS cannot be reached at " + PREFIX + "url=" + url + " ("
          + Redact.userInfo(e.getMessage()) + "); start it, correct the URL, set " + PREFIX + "required=false to"
          + " start without it, or choose another lamina.bus.type",
          Redact.causes(e));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while connecting to NATS at " + url, e);
    }
  }

  /** The connection settings from {@code lamina.bus.nats.*}; a bad one fails naming its property, never its value. */
  static NatsConnectionSettings settings(Nats nats) {
    Tls tls = nats.getTls();
    try {
      return NatsConnectionSettings.custom(PREFIX).url(nats.getUrl())
          .credentialsFile(nats.getCredentialsFile()).nkeySeedFile(nats.getNkeySeedFile()).token(nats.getToken())
          .userInfo(nats.getUsername(), nats.getPassword()).tls(tls.isEnabled())
          .trustStore(tls.getTrustStore(), tls.getTrustStorePassword(), tls.getTrustStoreType())
          .keyStore(tls.getKeyStore(), tls.getKeyStorePassword(), tls.getKeyStoreType())
          .build();
    } catch (InvalidSettingException e) {
      throw new InvalidConfigurationPropertyValueException(e.setting(), "(hidden)", e.getMessage());
    }
  }

  @Bean
  @ConditionalOnMissingBean(InvalidationBus.class)
  @ConditionalOnBean(Connection.class)
  InvalidationBus laminaInvalidationBus(Connection connection, LaminaProperties properties) {
    Nats nats = properties.getBus().getNats();
    try {
      return nats.isJetstream()
          ? NatsInvalidationBus.withJetStream(connection, nats.getRetention(), nats.getMaxBytes().toBytes())
          : NatsInvalidationBus.of(connection);
    } catch (IllegalArgumentException e) {
      throw new IllegalStateException("lamina.bus.type=nats: " + e.getMessage(), e);
    }
  }

  /** {@code lamina.bus.nats.required=false}: a bus that owns its connection and makes it in the background. */
  @Bean(destroyMethod = "close")
  @ConditionalOnMissingBean({InvalidationBus.class, Connection.class})
  @ConditionalOnBooleanProperty(name = "lamina.bus.nats.required", havingValue = false)
  BackgroundNatsBus laminaBackgroundNatsBus(LaminaProperties properties) {
    Nats nats = properties.getBus().getNats();
    NatsConnectionSettings settings = settings(nats);
    try {
      return nats.isJetstream()
          ? NatsInvalidationBus.connectInBackground(settings, nats.getRetention(), nats.getMaxBytes().toBytes())
          : NatsInvalidationBus.connectInBackground(settings);
    } catch (IllegalArgumentException e) {
      throw new IllegalStateException("lamina.bus.type=nats: " + e.getMessage(), e);
    }
  }
}
