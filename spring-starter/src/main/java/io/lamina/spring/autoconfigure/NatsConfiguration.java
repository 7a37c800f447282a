package io.lamina.spring.autoconfigure;

import io.lamina.bus.NatsInvalidationBus;
import io.lamina.spi.InvalidationBus;
import io.lamina.spring.autoconfigure.LaminaProperties.Nats;
import io.nats.client.Connection;
import java.io.IOException;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The bus on core NATS ({@code lamina.bus.type=nats}): the application's {@link Connection}, or one opened on
 * {@code lamina.bus.nats.url} with options fit for invalidations and closed with the context. Without jnats on
 * the classpath this does not apply, and {@link CachesConfiguration} says why at start-up.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnClass(name = "io.nats.client.Connection")
@ConditionalOnProperty(name = "lamina.bus.type", havingValue = "nats")
class NatsConfiguration {

  @Bean(destroyMethod = "close")
  @ConditionalOnMissingBean(Connection.class)
  Connection laminaNatsConnection(LaminaProperties properties) {
    String url = properties.getBus().getNats().getUrl();
    try {
      return NatsInvalidationBus.connect(url);
    } catch (IOException | RuntimeException e) {
      throw new IllegalStateException("NATS cannot be reached at lamina.bus.nats.url=" + url + " ("
          + e.getMessage() + "); start it, correct the URL, or choose another lamina.bus.type", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while connecting to NATS at " + url, e);
    }
  }

  @Bean
  @ConditionalOnMissingBean(InvalidationBus.class)
  InvalidationBus laminaInvalidationBus(Connection connection, LaminaProperties properties) {
    Nats nats = properties.getBus().getNats();
    try {
      return nats.isJetstream()
          ? NatsInvalidationBus.withJetStream(connection, nats.getRetention())
          : NatsInvalidationBus.of(connection);
    } catch (IllegalArgumentException e) {
      throw new IllegalStateException("lamina.bus.type=nats: " + e.getMessage(), e);
    }
  }
}
