package io.lamina.redis;

import io.lamina.spi.RemoteStore;
import io.lamina.spi.RemoteStoreSpec;
import io.lamina.testkit.contract.RemoteStoreContract;
import io.lamina.testkit.server.RedisCluster;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.redisson.api.RedissonClient;

/** The remote store contract on a Redis Cluster of three masters and three replicas: every script and pipelined batch must address only the slots its keys hash to. */
class RedissonRemoteStoreClusterIT extends RemoteStoreContract {

  private static RedisCluster cluster;
  private static RedissonClient client;

  @BeforeAll
  static void connect() {
    cluster = RedisCluster.start();
    client = RedisClients.connect(cluster);
  }

  @AfterAll
  static void disconnect() {
    if (client != null) {
      client.shutdown();
    }
    if (cluster != null) {
      cluster.close();
    }
  }

  @Override
  protected RemoteStore open(RemoteStoreSpec spec) {
    return RedissonRemoteTier.of(client).open(spec);
  }

  @Override
  protected void evict(RemoteStoreSpec spec, String id) {
    cluster.masterOf(spec.key(id)).commandWithKey("DEL", spec.key(id));
  }
}
