package io.lamina.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.lamina.BusConfig;
import io.lamina.KeyCodecs;
import io.lamina.TieredCache;
import io.lamina.TieredCacheConfig;
import io.lamina.ValueCodecs;
import io.lamina.testkit.bus.InMemoryBusNetwork;
import io.lamina.testkit.server.RedisCluster;
import io.lamina.testkit.server.RedisServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.IntStream;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.redisson.api.RedissonClient;

/**
 * Design rule 9 on Redis Cluster: the master of an entry's slot acknowledges a tombstone its replica never
 * receives (the replica is paused), then dies (kill -9) and the replica takes over with the old value. The master
 * that holds the roster is not the one that failed, so the nodes must watch every master, not only the roster's:
 * they see another master answer, flush, and write their recent tombstones again.
 */
class ClusterFailoverIT {

  private final List<AutoCloseable> resources = new ArrayList<>();
  private final Map<String, String> source = new ConcurrentHashMap<>();

  @AfterEach
  void close() throws Exception {
    for (int i = resources.size() - 1; i >= 0; i--) {
      resources.get(i).close();
    }
  }

  private <T extends AutoCloseable> T closing(T resource) {
    resources.add(resource);
    return resource;
  }

  @Test
  void aTombstoneLostWhenAnotherMasterThanTheRostersFailsOver_isWrittenAgain() {
    RedisCluster cluster = closing(RedisCluster.start());
    RedissonClient client = RedisClients.connect(cluster);
    resources.add(client::shutdown);
    InMemoryBusNetwork network = new InMemoryBusNetwork();
    List<TieredCache<String, String>> nodes = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      nodes.add(closing(TieredCache.<String, String>newBuilder("items")
          .config(TieredCacheConfig.custom().namespace("failover").build())
          .remote(RedissonRemoteTier.of(client)).keyCodec(KeyCodecs.strings()).valueCodec(ValueCodecs.utf8())
          .loader(source::get)
          .bus(network.connect())
          .busConfig(new BusConfig(Duration.ofMillis(50), Duration.ofMillis(250), 64, Duration.ofNanos(100_000)))
          .build()));
    }
    RedisServer rosterMaster = cluster.masterOf("failover:~roster");
    String id = IntStream.range(0, 100).mapToObj(i -> "k" + i)
        .filter(k -> cluster.masterOf("failover:items:1:" + k) != rosterMaster).findFirst().orElseThrow();
    String key = "failover:items:1:" + id;
    RedisServer master = cluster.masterOf(key);
    RedisServer replica = cluster.replicaOf(master);
    Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> nodes.stream().allMatch(n -> n.coherence().trusted()));

    source.put(id, "v1");
    nodes.forEach(n -> assertThat(n.get(id)).isEqualTo("v1"));
    cluster.awaitReplicated(master, replica);
    replica.pause(); // the replica hears nothing more
    source.put(id, "v2");
    nodes.get(0).invalidate(id);
    assertThat(nodes.get(0).get(id)).isEqualTo("v2");
    for (TieredCache<String, String> n : nodes) { // the invalidation travels the bus
      Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> "v2".equals(n.get(id)));
    }

    master.kill();
    replica.resume(); // it takes over the slot with v1 in L2
    cluster.awaitHealthy();
    assertThat(cluster.masterOf(key)).isSameAs(replica);
    assertThat(cluster.masterOf("failover:~roster")).isSameAs(rosterMaster);

    Awaitility.await().atMost(Duration.ofSeconds(10))
        .until(() -> nodes.stream().allMatch(n -> n.coherence().gaps().containsKey("failover")));
    for (TieredCache<String, String> n : nodes) {
      Awaitility.await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(10))
          .until(() -> "v2".equals(n.get(id)));
    }
    for (int i = 0; i < 50; i++) {
      nodes.forEach(n -> assertThat(n.get(id)).isEqualTo("v2"));
    }
    assertThat(String.valueOf(replica.command("HGET", key, "p"))).doesNotContain("v1");
  }
}
