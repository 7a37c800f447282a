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

  @org.junit.jupiter.api.Test
  void aMessageOverTheLimit_isDeliveredEmpty_andTheNextOneWhole() throws Exception {
    java.util.concurrent.BlockingQueue<byte[]> received = new java.util.concurrent.LinkedBlockingQueue<>();
    io.lamina.spi.BusChannel channel = connect().open("big", new io.lamina.spi.BusListener() {
      @Override
      public void onMessage(byte[] message) {
        received.add(message);
      }

      @Override
      public void onGap(String reason) {}
    });
    channel.subscribed().toCompletableFuture().get(5, java.util.concurrent.TimeUnit.SECONDS);
    redis.command("PUBLISH", RedisPubSubInvalidationBus.channel("big"),
        "x".repeat(io.lamina.spi.InvalidationMessage.MAX_BYTES + 1));
    channel.publish(new byte[] {1, 2, 3}).toCompletableFuture().get(5, java.util.concurrent.TimeUnit.SECONDS);
    org.assertj.core.api.Assertions.assertThat(received.poll(5, java.util.concurrent.TimeUnit.SECONDS)).isEmpty();
    org.assertj.core.api.Assertions.assertThat(received.poll(5, java.util.concurrent.TimeUnit.SECONDS))
        .containsExactly(1, 2, 3);
    channel.close();
  }

  @Override
  protected void breakConnections() {
    redis.command("CLIENT", "KILL", "TYPE", "pubsub");
  }
}
