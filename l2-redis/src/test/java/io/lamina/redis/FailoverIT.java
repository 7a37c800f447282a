package io.lamina.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.lamina.BusConfig;
import io.lamina.KeyCodecs;
import io.lamina.TieredCache;
import io.lamina.TieredCacheConfig;
import io.lamina.ValueCodecs;
import io.lamina.testkit.bus.InMemoryBusNetwork;
import io.lamina.testkit.server.RedisServer;
import io.lamina.testkit.server.TcpProxy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.redisson.Redisson;
import org.redisson.api.RedissonClient;
import org.redisson.config.Config;

/**
 * Design rule 9 on real Redis: a primary acknowledges a tombstone its replica never receives (the replication
 * link is cut), then the replica is promoted and takes the primary's address. The nodes see another run id answer,
 * flush, and write their recent tombstones again, so the replica's old value is never served.
 */
class FailoverIT {

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
  void aTombstoneLostInAFailover_isWrittenAgain_andTheOldValueNeverReturns() {
    RedisServer primary = closing(RedisServer.start());
    TcpProxy replication = closing(new TcpProxy(primary.port()));
    RedisServer replica = closing(RedisServer.start("--replicaof", "127.0.0.1", Integer.toString(replication.port())));
    TcpProxy address = closing(new TcpProxy(primary.port())); // what the clients know as "the primary"
    Config config = new Config();
    config.useSingleServer().setAddress("redis://127.0.0.1:" + address.port()).setTimeout(500)
        .setConnectTimeout(500).setRetryAttempts(1).setConnectionMinimumIdleSize(1);
    RedissonClient client = Redisson.create(config);
    resources.add(client::shutdown);
    InMemoryBusNetwork network = new InMemoryBusNetwork();
    List<TieredCache<String, String>> nodes = new ArrayList<>();
    for (int i = 0; i < 2; i++) {
      nodes.add(closing(TieredCache.<String, String>newBuilder("items")
          .config(TieredCacheConfig.custom().namespace("failover").build())
          .remote(RedissonRemoteTier.of(client)).keyCodec(KeyCodecs.strings()).valueCodec(ValueCodecs.utf8())
          .loader(source::get)
          .bus(network.connect())
          .busConfig(new BusConfig(Duration.ofMillis(50), Duration.ofMillis(250), 64, Duration.ofNanos(100_000)))
          .build()));
    }
    Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> nodes.stream().allMatch(n -> n.coherence().trusted())
        && String.valueOf(replica.command("INFO", "replication")).contains("master_link_status:up"));

    source.put("k", "v1");
    nodes.forEach(n -> assertThat(n.get("k")).isEqualTo("v1"));
    Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> replica.command("EXISTS", "failover:items:1:k")
        .equals(1L));
    replication.cut(); // the replica hears nothing more
    source.put("k", "v2");
    nodes.get(0).invalidate("k");
    // The writer reads its own write at once; the other node within the bus's delivery time.
    assertThat(nodes.get(0).get("k")).isEqualTo("v2");
    Awaitility.await().atMost(Duration.ofSeconds(1)).until(() -> "v2".equals(nodes.get(1).get("k")));

    replica.command("REPLICAOF", "NO", "ONE");
    address.retarget(replica.port()); // the failover: the replica, with v1 in L2, answers as the primary
    Awaitility.await().atMost(Duration.ofSeconds(10))
        .until(() -> nodes.stream().allMatch(n -> n.coherence().gaps().containsKey("failover")));
    for (TieredCache<String, String> n : nodes) {
      Awaitility.await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(10))
          .until(() -> "v2".equals(n.get("k")));
    }
    for (int i = 0; i < 50; i++) {
      nodes.forEach(n -> assertThat(n.get("k")).isEqualTo("v2"));
    }
    assertThat(nodes.get(0).stats().l2Repairs().repaired()).isPositive();
  }
}
