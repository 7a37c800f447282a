package io.lamina.spring.autoconfigure;

import io.lamina.Redact;
import io.lamina.redis.RedissonRemoteTier;
import io.lamina.spi.RemoteTier;
import io.lamina.spring.RedissonConfigCustomizer;
import io.lamina.spring.autoconfigure.LaminaProperties.Redis;
import org.redisson.Redisson;
import org.redisson.api.RedissonClient;
import org.redisson.config.Config;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionOutcome;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.SpringBootCondition;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.core.type.AnnotatedTypeMetadata;

/**
 * L2 on Redis: the application's {@link RedissonClient}, or one created from {@code lamina.redis.*} (one server,
 * Cluster, Sentinel or a Redisson YAML file; see {@link RedisTopology}) or else from {@code spring.data.redis.*},
 * and shut down with the context. Without any of them start-up fails (see {@link LocalOnlyCheck}); with
 * {@code lamina.local-only=true} none of this applies.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnClass({RedissonClient.class, RedissonRemoteTier.class})
@ConditionalOnBooleanProperty(name = "lamina.redis.enabled", matchIfMissing = true)
@ConditionalOnBooleanProperty(name = "lamina.local-only", havingValue = false, matchIfMissing = true)
class RedisConfiguration {

  @Bean(destroyMethod = "shutdown")
  @ConditionalOnMissingBean(RedissonClient.class)
  @Conditional(RedisConfigured.class)
  RedissonClient laminaRedissonClient(LaminaProperties properties,
      ObjectProvider<RedissonConfigCustomizer> customizers, Environment environment) {
    Redis redis = properties.getRedis();
    Config config = RedisTopology.config(redis, environment);
    config.setLazyInitialization(!redis.isRequired());
    customizers.orderedStream().forEach(c -> c.customize(config));
    try {
      return Redisson.create(config);
    } catch (RuntimeException e) {
      throw new IllegalStateException("Redis cannot be reached (" + RedisTopology.describe(redis, environment)
          + "), and lamina.redis.required is true: start Redis, correct the address, or set"
          + " lamina.redis.required=false to start without it (" + Redact.userInfo(e.getMessage()) + ")",
          Redact.causes(e));
    }
  }

  @Bean
  @ConditionalOnBean(RedissonClient.class)
  @ConditionalOnMissingBean(RemoteTier.class)
  RemoteTier laminaRemoteTier(RedissonClient client) {
    return RedissonRemoteTier.of(client);
  }

  /**
   * Redis is configured: {@code lamina.redis.address}, {@code .config}, {@code .cluster.nodes} or
   * {@code .sentinel.master}, or else Spring Data Redis's {@code spring.data.redis.url}, {@code .host},
   * {@code .cluster.nodes} or {@code .sentinel.master}.
   */
  static final class RedisConfigured extends SpringBootCondition {

    @Override
    public ConditionOutcome getMatchOutcome(ConditionContext context, AnnotatedTypeMetadata metadata) {
      return RedisTopology.configured(context.getEnvironment())
          ? ConditionOutcome.match("lamina.redis.* or spring.data.redis.* says where Redis is")
          : ConditionOutcome.noMatch("neither lamina.redis.* nor spring.data.redis.* says where Redis is");
    }
  }
}
