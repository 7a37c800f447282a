package io.lamina.bus;

import static org.assertj.core.api.Assertions.assertThat;

import io.lamina.ProtectionConfig;
import io.lamina.TieredCache;
import io.lamina.TieredCacheConfig;
import io.lamina.testkit.server.NatsServer;
import io.lamina.testkit.server.RedisCluster;
import io.lamina.testkit.server.RedisSentinelGroup;
import io.nats.client.Connection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.redisson.Redisson;
import org.redisson.api.RedissonClient;
import org.redisson.config.Config;

/**
 * The protection scenarios of {@link ProtectionIT} that depend on L2 scripts and leases, on a Redis Cluster (3
 * masters, 3 replicas: keys, leases and wake-ups spread over masters) and on a Sentinel group: a cold key stampede
 * with distributed single-flight costs one source call per key for the whole cluster, and absent keys are loaded
 * once per key and stored as negative entries that expire.
 */
class ProtectionOnTopologiesIT {

  private static final Duration H = Duration.ofMillis(100);
  private static final Duration D = Duration.ofMillis(500);

  enum Topology { CLUSTER, SENTINEL }

  private final List<AutoCloseable> resources = new ArrayList<>();
  private final List<TieredCache<String, String>> nodes = new ArrayList<>();
  private final ExecutorService pool = Executors.newCachedThreadPool();
  private final Map<String, AtomicInteger> sourceCalls = new ConcurrentHashMap<>();

  @AfterEach
  void close() throws Exception {
    pool.shutdownNow();
    nodes.forEach(TieredCache::close);
    for (int i = resources.size() - 1; i >= 0; i--) {
      resources.get(i).close();
    }
  }

  private <T extends AutoCloseable> T closing(T resource) {
    resources.add(resource);
    return resource;
  }

  private Supplier<Config> start(Topology topology) {
    if (topology == Topology.CLUSTER) {
      RedisCluster cluster = closing(RedisCluster.start());
      return () -> RedisFailoverUnderLoadIT.cluster(cluster);
    }
    RedisSentinelGroup group = closing(RedisSentinelGroup.start());
    return () -> RedisFailoverUnderLoadIT.sentinel(group);
  }

  private String source(String key) throws InterruptedException {
    sourceCalls.computeIfAbsent(key, k -> new AtomicInteger()).incrementAndGet();
    Thread.sleep(50); // the source's own latency, the window a stampede piles into: not a wait for a condition
    return key.startsWith("absent") ? null : "v:" + key;
  }

  private void nodes(Topology topology, ProtectionConfig protection) throws Exception {
    Supplier<Config> config = start(topology);
    NatsServer nats = closing(NatsServer.start(false));
    for (int i = 0; i < 3; i++) {
      RedissonClient client = Redisson.create(config.get());
      resources.add(client::shutdown);
      Connection connection = NatsInvalidationBus.connect(nats.url());
      resources.add(connection::close);
      nodes.add(Nodes.builder("guard", "items", client, NatsInvalidationBus.of(connection), this::source, H, D)
          .config(TieredCacheConfig.custom().namespace("guard").remoteTimeout(Duration.ofSeconds(2))
              .negativeTtl(Duration.ofMinutes(5)).protection(protection).build())
          .build());
    }
    Nodes.awaitTrusted(nodes, Duration.ofSeconds(20));
  }

  /** 32 callers on each node ask for {@code key} at once; returns the values. */
  private List<String> stampede(String key) throws Exception {
    return Nodes.stampede(pool, nodes, key, 32);
  }

  @ParameterizedTest
  @EnumSource(Topology.class)
  void coldKeys_withDistributedSingleFlight_oneSourceCallPerKeyForTheCluster(Topology topology) throws Exception {
    nodes(topology, ProtectionConfig.custom().distributedSingleFlight(true).build());
    int keys = 12; // on a Cluster they fall on all three masters
    for (int k = 0; k < keys; k++) {
      String key = "cold" + k;
      assertThat(stampede(key)).hasSize(96).allMatch(("v:" + key)::equals);
    }
    long waits = nodes.stream().mapToLong(n -> n.stats().protection().leaseWaits()).sum();
    System.out.printf("%s: %d cold keys, 32 x 3 callers each: source calls per key %s; %d lease waits%n", topology,
        keys, sourceCalls.values(), waits);
    assertThat(sourceCalls).hasSize(keys);
    assertThat(sourceCalls.values()).allMatch(c -> c.get() == 1);
    assertThat(waits).isPositive();
  }

  @ParameterizedTest
  @EnumSource(Topology.class)
  void absentKeys_areLoadedOncePerKey_onEveryNode(Topology topology) throws Exception {
    nodes(topology, ProtectionConfig.ofDefaults());
    int keys = 300;
    for (TieredCache<String, String> node : nodes) {
      for (int round = 0; round < 2; round++) {
        for (int i = 0; i < keys; i++) {
          assertThat(node.get("absent" + i)).isNull();
        }
      }
    }
    assertThat(sourceCalls).hasSize(keys);
    assertThat(sourceCalls.values()).as("source calls per absent key, 3 nodes, 2 rounds")
        .allMatch(c -> c.get() == 1);
  }
}
