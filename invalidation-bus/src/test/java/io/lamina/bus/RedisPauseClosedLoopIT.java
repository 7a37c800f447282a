package io.lamina.bus;

import static org.assertj.core.api.Assertions.assertThat;

import io.lamina.TieredCache;
import io.lamina.TieredCacheConfig;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Redis stopped (SIGSTOP) for 3 s under closed-loop readers (four per node, more busy threads than cores) over
 * Redis Pub/Sub, while versioned puts go on: the bus stops with Redis, so the marks of the failed writes reach the
 * other nodes only when Redis resumes, at the same time as their L2 reads. The {@code faults} benchmark saw a read
 * older than the bound begin after Redis had resumed and the resync time had passed; every read here, during the
 * pause and after, must be within the bound, and every node converges to L2 == source.
 */
@Timeout(120)
class RedisPauseClosedLoopIT {

  private static final Duration H = Duration.ofMillis(100);
  private static final Duration D = Duration.ofMillis(500);
  private static final Duration BOUND = D.plus(H).plus(Duration.ofMillis(500));

  private final List<TieredCache<String, String>> nodes = new ArrayList<>();
  private final Workload workload = new Workload(200, BOUND);
  private @Nullable BusCluster cluster;

  @AfterEach
  void close() throws Exception {
    nodes.forEach(TieredCache::close);
    if (cluster != null) {
      cluster.close();
    }
  }

  @Test
  void redisStoppedUnderClosedLoopReaders_overRedisPubSub_noReadIsStalerThanTheBound() throws Exception {
    BusCluster servers = new BusCluster(BusCluster.Transport.REDIS);
    cluster = servers;
    for (int i = 0; i < 3; i++) {
      BusCluster.Wiring w = servers.connect();
      nodes.add(Nodes.builder("pauseloop", "items", w.redis(), w.bus(), workload::load, H, D)
          .config(TieredCacheConfig.custom().namespace("pauseloop").remoteTimeout(Duration.ofMillis(300)).build())
          .versionOf(v -> Long.parseLong(v.substring(v.indexOf('@') + 1)))
          .build());
    }
    Nodes.awaitTrusted(nodes, Duration.ofSeconds(10));
    workload.versionedPuts(true);
    workload.closedLoop(4);
    CompletableFuture<Void> fault =
        BusCluster.pauseLater(servers.redis, Duration.ofMillis(1_500), Duration.ofSeconds(3));
    workload.run(nodes, Duration.ofSeconds(9));
    fault.get(10, TimeUnit.SECONDS);
    Nodes.await().atMost(Duration.ofSeconds(15))
        .until(() -> nodes.stream().allMatch(n -> n.stats().l2Repairs().pending() == 0));
    Nodes.awaitTrusted(nodes, Duration.ofSeconds(10));
    workload.assertConverged(nodes, servers.inspector(), "pauseloop", "items");
    System.out.printf("redis paused 3 s under closed-loop readers: %s; %d writes failed%n", workload,
        workload.failedWrites());
    assertThat(workload.failedWrites()).as("the pause made writes fail").isPositive();
    assertThat(workload.violations()).as("reads staler than %s", BOUND).isZero();
  }
}
