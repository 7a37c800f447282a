package io.lamina.redis;

import io.lamina.testkit.server.RedisCluster;
import io.lamina.testkit.server.RedisSentinelGroup;
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

  /** A client of the whole cluster, seeded with every member, refreshing the slot map every 500 ms. */
  static RedissonClient connect(RedisCluster cluster) {
    Config config = new Config();
    config.useClusterServers()
        .addNodeAddress(cluster.addresses().toArray(new String[0]))
        .setScanInterval(500)
        .setTimeout(500)
        .setConnectTimeout(500)
        .setRetryAttempts(4)
        .setMasterConnectionMinimumIdleSize(1)
        .setSlaveConnectionMinimumIdleSize(1)
        .setMasterConnectionPoolSize(8)
        .setSlaveConnectionPoolSize(8);
    return Redisson.create(config);
  }

  /** A client that asks the group's sentinels for the master, checking every 500 ms. */
  static RedissonClient connect(RedisSentinelGroup group) {
    Config config = new Config();
    config.useSentinelServers()
        .setMasterName(RedisSentinelGroup.MASTER_NAME)
        .addSentinelAddress(group.sentinelAddresses().toArray(new String[0]))
        .setScanInterval(500)
        .setTimeout(500)
        .setConnectTimeout(500)
        .setRetryAttempts(4)
        .setMasterConnectionMinimumIdleSize(1)
        .setSlaveConnectionMinimumIdleSize(1)
        .setMasterConnectionPoolSize(8)
        .setSlaveConnectionPoolSize(8);
    return Redisson.create(config);
  }
}
