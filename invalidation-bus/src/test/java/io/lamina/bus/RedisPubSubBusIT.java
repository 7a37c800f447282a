package io.lamina.bus;

import io.lamina.spi.BusChannel;
import io.lamina.spi.BusListener;
import io.lamina.spi.InvalidationBus;
import io.lamina.spi.InvalidationMessage;
import io.lamina.testkit.bus.BusContract;
import io.lamina.testkit.server.RedisServer;
import io.lamina.testkit.server.WithRedis;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.assertj.core.api.Assertions;
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
    BlockingQueue<byte[]> received = new LinkedBlockingQueue<>();
    BusChannel channel = connect().open("big", new BusListener() {
      @Override
      public void onMessage(byte[] message) {
        received.add(message);
      }

      @Override
      public void onGap(String reason) {}
    });
    channel.subscribed().toCompletableFuture().get(5, TimeUnit.SECONDS);
    redis.command("PUBLISH", RedisPubSubInvalidationBus.channel("big"),
        "x".repeat(InvalidationMessage.MAX_BYTES + 1));
    channel.publish(new byte[] {1, 2, 3}).toCompletableFuture().get(5, TimeUnit.SECONDS);
    Assertions.assertThat(received.poll(5, TimeUnit.SECONDS)).isEmpty();
    Assertions.assertThat(received.poll(5, TimeUnit.SECONDS))
        .containsExactly(1, 2, 3);
    channel.close();
  }

  @Override
  protected void breakConnections() {
    redis.command("CLIENT", "KILL", "TYPE", "pubsub");
  }
}
