package io.lamina.bus;

import io.lamina.spi.InvalidationBus;
import io.lamina.testkit.bus.BusContract;
import io.lamina.testkit.server.RedisServer;
import io.lamina.testkit.server.WithRedis;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.redisson.Redisson;
import org.redisson.api.RedissonClient;
import org.redisson.config.Config;

/** The bus contract over Redis Pub/Sub on a real redis-server. */
@WithRedis
class RedisPubSubBusIT extends BusContract {

  private final RedisServer redis;
  private final List<RedissonClient> clients = new ArrayList<>();

  RedisPubSubBusIT(RedisServer redis) {
    this.redis = redis;
  }

  static RedissonClient client(RedisServer redis) {
    Config config = new Config();
    config.useSingleServer().setAddress(redis.url()).setTimeout(1_000).setConnectionMinimumIdleSize(1)
        .setPingConnectionInterval(1_000);
    return Redisson.create(config);
  }

  @AfterEach
  void close() {
    clients.forEach(RedissonClient::shutdown);
  }

  @Override
  protected InvalidationBus connect() {
    RedissonClient c = client(redis);
    clients.add(c);
    return RedisPubSubInvalidationBus.of(c);
  }

  @Override
  protected void breakConnections() {
    redis.command("CLIENT", "KILL", "TYPE", "pubsub");
  }
}
