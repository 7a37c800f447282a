package io.lamina.spring.autoconfigure;

import io.lamina.Redact;
import io.lamina.redis.RedissonRemoteTier;
import io.lamina.spi.RemoteTier;
import io.lamina.spring.RedissonConfigCustomizer;
import io.lamina.spring.autoconfigure.LaminaProperties.Redis;
import java.io.IOException;
import java.io.InputStream;
import org.redisson.Redisson;
import org.redisson.api.RedissonClient;
import org.redisson.config.BaseConfig;
import org.redisson.config.Config;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.AnyNestedCondition;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.io.Resource;

/**
 * L2 on Redis: the application's {@link RedissonClient}, or one created from {@code lamina.redis.*} and shut down
 * with the context. Without either, caches are local only.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnClass({RedissonClient.class, RedissonRemoteTier.class})
@ConditionalOnBooleanProperty(name = "lamina.redis.enabled", matchIfMissing = true)
class RedisConfiguration {

  @Bean(destroyMethod = "shutdown")
  @ConditionalOnMissingBean(RedissonClient.class)
  @Conditional(RedisConfigured.class)
  RedissonClient laminaRedissonClient(LaminaProperties properties,
      ObjectProvider<RedissonConfigCustomizer> customizers) {
    Redis redis = properties.getRedis();
    Config config = config(redis);
    config.setLazyInitialization(!redis.isRequired());
    customizers.orderedStream().forEach(c -> c.customize(config));
    try {
      return Redisson.create(config);
    } catch (RuntimeException e) {
      String where = redis.getAddress() != null ? "lamina.redis.address=" + Redact.userInfo(redis.getAddress())
          : "lamina.redis.config=" + redis.getConfig();
      throw new IllegalStateException("Redis cannot be reached (" + where + "), and lamina.redis.required is true:"
          + " start Redis, correct the address, or set lamina.redis.required=false to start without it ("
          + Redact.userInfo(e.getMessage()) + ")", Redact.causes(e));
    }
  }

  @Bean
  @ConditionalOnBean(RedissonClient.class)
  @ConditionalOnMissingBean(RemoteTier.class)
  RemoteTier laminaRemoteTier(RedissonClient client) {
    return RedissonRemoteTier.of(client);
  }

  private static Config config(Redis redis) {
    Resource file = redis.getConfig();
    if (file != null) {
      if (redis.getAddress() != null) {
        throw new InvalidConfigurationPropertyValueException("lamina.redis.address",
            Redact.userInfo(redis.getAddress()),
            "lamina.redis.config is set too; give the address in one place");
      }
      try (InputStream in = file.getInputStream()) {
        return Config.fromYAML(in);
      } catch (IOException | RuntimeException e) {
        throw new InvalidConfigurationPropertyValueException("lamina.redis.config", file,
            "not a readable Redisson YAML configuration: " + e.getMessage());
      }
    }
    Config config = new Config();
    String address = redis.getAddress();
    if (address == null || !(address.startsWith("redis://") || address.startsWith("rediss://"))) {
      throw new InvalidConfigurationPropertyValueException("lamina.redis.address",
          address == null ? null : Redact.userInfo(address),
          "must start with redis:// (or rediss:// for TLS), such as redis://127.0.0.1:6379");
    }
    BaseConfig<?> server = config.useSingleServer().setAddress(address).setDatabase(redis.getDatabase());
    server.setConnectTimeout(Math.toIntExact(redis.getConnectTimeout().toMillis()));
    server.setTimeout(Math.toIntExact(redis.getTimeout().toMillis()));
    if (redis.getUsername() != null) {
      config.setUsername(redis.getUsername());
    }
    if (redis.getPassword() != null) {
      config.setPassword(redis.getPassword());
    }
    return config;
  }

  /** {@code lamina.redis.address} or {@code lamina.redis.config} is set. */
  static final class RedisConfigured extends AnyNestedCondition {

    RedisConfigured() {
      super(ConfigurationPhase.REGISTER_BEAN);
    }

    @ConditionalOnProperty("lamina.redis.address")
    static final class Address {}

    @ConditionalOnProperty("lamina.redis.config")
    static final class File {}
  }
}
