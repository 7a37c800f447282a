package io.lamina.spring.autoconfigure;

import io.lamina.bus.BackgroundNatsBus;
import io.lamina.spring.LaminaCaches;
import io.lamina.spring.actuate.CoherenceHealthIndicator;
import io.lamina.spring.actuate.NatsHealthIndicator;
import io.lamina.spring.actuate.RedisHealthIndicator;
import io.nats.client.Connection;
import java.util.LinkedHashMap;
import java.util.Map;
import org.redisson.api.RedissonClient;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.health.contributor.CompositeHealthContributor;
import org.springframework.boot.health.contributor.HealthContributor;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.util.ClassUtils;

/**
 * The {@code lamina} health contributor: {@code redis} (a round trip to the L2 Redis), {@code nats} (the bus
 * connection's state, or NOT_CONNECTED while a bus with {@code lamina.bus.nats.required=false} connects) and
 * {@code coherence} (whether this instance trusts its L1, {@code DEGRADED} when not).
 * Each part is there only when Lamina uses what it checks.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnClass(name = "org.springframework.boot.health.contributor.HealthIndicator")
class HealthConfiguration {

  @Bean
  @ConditionalOnMissingBean(name = "laminaHealthContributor")
  @ConditionalOnEnabledHealthIndicator("lamina")
  HealthContributor laminaHealthContributor(LaminaCaches caches, LaminaProperties properties,
      ApplicationContext context) {
    Map<String, HealthContributor> parts = new LinkedHashMap<>();
    ClassLoader loader = context.getClassLoader();
    if (properties.getRedis().isEnabled() && !properties.isLocalOnly()
        && ClassUtils.isPresent("org.redisson.api.RedissonClient", loader)) {
      Redis.add(parts, context, properties);
    }
    if (properties.getBus().getType() == LaminaProperties.BusType.NATS
        && ClassUtils.isPresent("io.nats.client.Connection", loader)) {
      Nats.add(parts, context, properties);
    }
    parts.put("coherence", new CoherenceHealthIndicator(caches));
    return CompositeHealthContributor.fromMap(parts);
  }

  /** Keeps Redisson types out of the outer class. */
  private static final class Redis {
    static void add(Map<String, HealthContributor> parts, ApplicationContext context,
        LaminaProperties properties) {
      RedissonClient client = context.getBeanProvider(RedissonClient.class).getIfUnique();
      if (client != null) {
        parts.put("redis", new RedisHealthIndicator(client, properties.getRedis().getTimeout()));
      }
    }
  }

  /** Keeps jnats types out of the outer class. */
  private static final class Nats {
    static void add(Map<String, HealthContributor> parts, ApplicationContext context,
        LaminaProperties properties) {
      Connection connection = context.getBeanProvider(Connection.class).getIfUnique();
      if (connection != null) {
        parts.put("nats", new NatsHealthIndicator(connection));
        return;
      }
      BackgroundNatsBus background = context.getBeanProvider(BackgroundNatsBus.class).getIfUnique();
      if (background != null) {
        parts.put("nats", new NatsHealthIndicator(background, properties.getBus().getNats().getUrl()));
      }
    }
  }
}
