package io.lamina.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lamina.spi.RemoteEntry;
import io.lamina.spi.RemoteEntry.State;
import io.lamina.spi.RemoteStore;
import io.lamina.spi.RemoteStoreSpec;
import io.lamina.testkit.contract.RemoteStoreContract;
import io.lamina.testkit.server.RedisSentinelGroup;
import io.lamina.testkit.server.RedisServer;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
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

  /**
   * Redisson reads replicas by default in a Sentinel setup, and a replica may lag behind the write this node was
   * just told about: a hit must come from the master all the same. With the replicas paused, a replica read would
   * not answer.
   */
  @Test
  void aHitIsReadFromTheMaster_notFromAReplica() throws Exception {
    join(store.putVersioned("k", 1, bytes("value"), TTL));
    group.replicas().forEach(RedisServer::pause);
    try {
      assertThatThrownBy(() -> client.getBucket(spec.key("k")).isExistsAsync().toCompletableFuture()
          .get(1, TimeUnit.SECONDS)).as("the premise: this client reads replicas").isInstanceOf(TimeoutException.class);

      RemoteEntry hit = store.read("k", null, 0).toCompletableFuture().get(1, TimeUnit.SECONDS);

      assertThat(hit.state()).isEqualTo(State.VALUE);
      assertThat(hit.payload()).isEqualTo(bytes("value"));
    } finally {
      group.replicas().forEach(RedisServer::resume);
    }
  }

  @Override
  protected void evict(RemoteStoreSpec spec, String id) {
    group.master().commandWithKey("DEL", spec.key(id));
  }
}
