package io.lamina.redis;

import io.lamina.testkit.server.RedisServer;
import org.redisson.Redisson;
import org.redisson.api.RedissonClient;
import org.redisson.config.Config;

/** Redisson clients for tests: short timeouts, few retries, so a dead server shows quickly. */
final class RedisClients {

  private RedisClients() {}

  static RedissonClient connect(RedisServer redis) {
    Config config = new Config();
    config.useSingleServer()
        .setAddress(redis.url())
        .setTimeout(500)
        .setConnectTimeout(500)
        .setRetryAttempts(1)
        .setConnectionMinimumIdleSize(1)
        .setConnectionPoolSize(8);
    return Redisson.create(config);
  }
}
