package io.lamina.redis;

import io.lamina.spi.RemoteStore;
import io.lamina.spi.RemoteStoreSpec;
import io.lamina.testkit.contract.RemoteStoreContract;
import io.lamina.testkit.server.RedisServer;
import io.lamina.testkit.server.WithRedis;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.redisson.api.RedissonClient;

/** The remote store contract against a real redis-server. */
@WithRedis
class RedissonRemoteStoreIT extends RemoteStoreContract {

  private static RedisServer redis;
  private static RedissonClient client;

  @BeforeAll
  static void connect(RedisServer server) {
    redis = server;
    client = RedisClients.connect(server);
  }

  @AfterAll
  static void disconnect() {
    client.shutdown();
  }

  @Override
  protected RemoteStore open(RemoteStoreSpec spec) {
    return RedissonRemoteTier.of(client).open(spec);
  }

  @Override
  protected void evict(RemoteStoreSpec spec, String id) {
    redis.commandWithKey("DEL", spec.key(id));
  }
}
