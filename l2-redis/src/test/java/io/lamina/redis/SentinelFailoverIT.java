package io.lamina.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.lamina.BusConfig;
import io.lamina.KeyCodecs;
import io.lamina.TieredCache;
import io.lamina.TieredCacheConfig;
import io.lamina.ValueCodecs;
import io.lamina.testkit.bus.InMemoryBusNetwork;
import io.lamina.testkit.server.RedisSentinelGroup;
import io.lamina.testkit.server.RedisServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.redisson.api.RedissonClient;

/**
 * Design rule 9 on Sentinel: the master acknowledges a tombstone neither replica receives (both are paused), then
 * dies (kill -9); the sentinels promote a replica that holds the old value. The nodes see another master answer,
 * flush, and write their recent tombstones again, so the old value is never served.
 */
class SentinelFailoverIT {

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
  void aTombstoneLostWithAKilledMaster_isWrittenAgain_afterTheSentinelsPromoteAReplica() {
    RedisSentinelGroup group = closing(RedisSentinelGroup.start());
    RedissonClient client = RedisClients.connect(group);
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
    String id = "k";
    String key = "failover:items:1:" + id;
    RedisServer master = group.master();
    List<RedisServer> replicas = group.replicas();
    Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> nodes.stream().allMatch(n -> n.coherence().trusted()));

    source.put(id, "v1");
    nodes.forEach(n -> assertThat(n.get(id)).isEqualTo("v1"));
    long written = Long.parseLong(master.info("replication", "master_repl_offset"));
    for (RedisServer r : replicas) {
      Awaitility.await().atMost(Duration.ofSeconds(5))
          .until(() -> Long.parseLong(r.info("replication", "slave_repl_offset")) >= written);
    }
    replicas.forEach(RedisServer::pause); // neither replica hears anything more
    source.put(id, "v2");
    nodes.get(0).invalidate(id);
    assertThat(nodes.get(0).get(id)).isEqualTo("v2");
    for (TieredCache<String, String> n : nodes) { // the invalidation travels the bus
      Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> "v2".equals(n.get(id)));
    }

    master.kill();
    replicas.forEach(RedisServer::resume);
    RedisServer promoted = group.awaitMasterOtherThan(master);
    assertThat(replicas).contains(promoted);

    Awaitility.await().atMost(Duration.ofSeconds(15))
        .until(() -> nodes.stream().allMatch(n -> n.coherence().gaps().containsKey("failover")));
    for (TieredCache<String, String> n : nodes) {
      Awaitility.await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(10))
          .until(() -> "v2".equals(n.get(id)));
    }
    for (int i = 0; i < 50; i++) {
      nodes.forEach(n -> assertThat(n.get(id)).isEqualTo("v2"));
    }
    assertThat(String.valueOf(promoted.command("HGET", key, "p"))).doesNotContain("v1");
  }
}
