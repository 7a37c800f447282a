package io.lamina.spring;

import org.redisson.config.Config;

/**
 * Adjusts the Redisson configuration before the starter creates its client from {@code lamina.redis.*} (pool
 * sizes, TLS, a topology the properties do not cover). Not used when the application has its own
 * {@code RedissonClient} bean. Beans of this type run in their {@link org.springframework.core.annotation.Order}.
 */
@FunctionalInterface
public interface RedissonConfigCustomizer {

  /** Adjusts {@code config} in place. */
  void customize(Config config);
}
