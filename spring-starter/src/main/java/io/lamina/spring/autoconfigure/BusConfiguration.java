package io.lamina.spring.autoconfigure;

import io.lamina.BusConfig;
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
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
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

  @Bean
  @ConditionalOnMissingBean
  BusConfig laminaBusConfig(LaminaProperties properties) {
    Bus bus = properties.getBus();
    checkTimings(bus);
    try {
      Duration bound = bus.getStalenessBound();
      return bound == null
          ? new BusConfig(bus.getHeartbeatInterval(), bus.getDetectionTime(), bus.getBatchSize(), bus.getBatchDelay())
          : new BusConfig(bus.getHeartbeatInterval(), bus.getDetectionTime(), bus.getBatchSize(),
              bus.getBatchDelay(), bound);
    } catch (IllegalArgumentException e) {
      throw new InvalidConfigurationPropertyValueException("lamina.bus", "(several settings)", e.getMessage());
    }
  }

  /** The bus timings against each other, in the properties' words (BusConfig checks each value alone too). */
  private static void checkTimings(Bus bus) {
    Duration heartbeat = bus.getHeartbeatInterval();
    Duration twice = heartbeat.multipliedBy(2);
    String heartbeats = "lamina.bus.heartbeat-interval (" + heartbeat + ")";
    Duration bound = bus.getStalenessBound();
    if (bound != null && bound.compareTo(twice) < 0) {
      throw new InvalidConfigurationPropertyValueException("lamina.bus.staleness-bound", bound,
          "must be at least twice " + heartbeats + ": proving delivery takes about two heartbeats");
    }
    if (bus.getDetectionTime().compareTo(twice) < 0) {
      throw new InvalidConfigurationPropertyValueException("lamina.bus.detection-time", bus.getDetectionTime(),
          "must be at least twice " + heartbeats);
    }
    if (bus.getDetectionTime().compareTo(Duration.ofMinutes(1)) > 0) {
      throw new InvalidConfigurationPropertyValueException("lamina.bus.detection-time", bus.getDetectionTime(),
          "must not exceed 1m: it bounds how long an instance may serve stale L1 entries after a fault");
    }
    if (bus.getBatchDelay().compareTo(heartbeat) >= 0) {
      throw new InvalidConfigurationPropertyValueException("lamina.bus.batch-delay", bus.getBatchDelay(),
          "must be shorter than " + heartbeats);
    }
  }

  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass({RedissonClient.class, RedisPubSubInvalidationBus.class})
  @ConditionalOnBooleanProperty(name = "lamina.redis.enabled", matchIfMissing = true)
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
