package io.lamina.spring.autoconfigure;

import io.lamina.BusConfig;
import io.lamina.InvalidSettingException;
import io.lamina.bus.RedisPubSubInvalidationBus;
import io.lamina.spi.InvalidationBus;
import io.lamina.spring.autoconfigure.LaminaProperties.Bus;
import java.time.Duration;
import org.redisson.api.RedissonClient;
import org.springframework.boot.autoconfigure.condition.ConditionOutcome;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.SpringBootCondition;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.type.AnnotatedTypeMetadata;

/**
 * The bus's tunables, and the bus on Redis Pub/Sub: chosen with {@code lamina.bus.type=redis}, or by default
 * when caches use Redis and no other type is named.
 */
@Configuration(proxyBeanMethods = false)
class BusConfiguration {

  /** The bus timings; Lamina checks them alone and against each other, and a refusal names its property. */
  @Bean
  @ConditionalOnMissingBean
  BusConfig laminaBusConfig(LaminaProperties properties) {
    Bus bus = properties.getBus();
    try {
      Duration bound = bus.getStalenessBound();
      return bound == null
          ? new BusConfig(bus.getHeartbeatInterval(), bus.getDetectionTime(), bus.getBatchSize(), bus.getBatchDelay())
          : new BusConfig(bus.getHeartbeatInterval(), bus.getDetectionTime(), bus.getBatchSize(),
              bus.getBatchDelay(), bound);
    } catch (InvalidSettingException e) {
      throw PropertyNames.globalError(e, "lamina.bus");
    }
  }

  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass({RedissonClient.class, RedisPubSubInvalidationBus.class})
  @ConditionalOnBooleanProperty(name = "lamina.redis.enabled", matchIfMissing = true)
  @ConditionalOnBooleanProperty(name = "lamina.local-only", havingValue = false, matchIfMissing = true)
  @Conditional(RedisBusChosen.class)
  static class RedisPubSub {

    @Bean
    @ConditionalOnBean(RedissonClient.class)
    @ConditionalOnMissingBean(InvalidationBus.class)
    InvalidationBus laminaInvalidationBus(RedissonClient client) {
      return RedisPubSubInvalidationBus.of(client);
    }
  }

  /** {@code lamina.bus.type} is {@code redis}, or not set. */
  static final class RedisBusChosen extends SpringBootCondition {

    @Override
    public ConditionOutcome getMatchOutcome(ConditionContext context, AnnotatedTypeMetadata metadata) {
      String type = context.getEnvironment().getProperty("lamina.bus.type");
      if (type == null || type.isBlank()) {
        return ConditionOutcome.match("lamina.bus.type is not set: Redis Pub/Sub when caches use Redis");
      }
      return "redis".equalsIgnoreCase(type.trim())
          ? ConditionOutcome.match("lamina.bus.type=redis")
          : ConditionOutcome.noMatch("lamina.bus.type=" + type);
    }
  }
}
