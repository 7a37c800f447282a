package io.lamina.redis;

import io.lamina.spi.RemoteStore;
import io.lamina.spi.RemoteStoreSpec;
import io.lamina.testkit.contract.RemoteStoreContract;
import io.lamina.testkit.server.RedisSentinelGroup;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.redisson.api.RedissonClient;

/** The remote store contract on a Sentinel group, the client finding the master through the sentinels. */
class RedissonRemoteStoreSentinelIT extends RemoteStoreContract {

  private static RedisSentinelGroup group;
  private static RedissonClient client;

  @BeforeAll
  static void connect() {
    group = RedisSentinelGroup.start();
    client = RedisClients.connect(group);
  }

  @AfterAll
  static void disconnect() {
    if (client != null) {
      client.shutdown();
    }
    if (group != null) {
      group.close();
    }
  }

  @Override
  protected RemoteStore open(RemoteStoreSpec spec) {
    return RedissonRemoteTier.of(client).open(spec);
  }

  @Override
  protected void evict(RemoteStoreSpec spec, String id) {
    group.master().commandWithKey("DEL", spec.key(id));
  }
}
