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
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Redis stopped (SIGSTOP) for 3 s while three nodes keep writing cache-aside with versioned puts and reading:
 * the puts made during the pause fail after the source moved on. Every read — during the pause and after Redis
 * resumes — is checked against the writes that had returned before it began, and none may be staler than the
 * bound (D plus a heartbeat plus slack: over Redis Pub/Sub the bus pauses with Redis). The failed writes are
 * repaired once Redis answers; every node then reads the source, and L2 holds it or nothing (a read through
 * it fills it).
 */
@Timeout(120)
class RedisPauseIT {

  private static final Duration H = Duration.ofMillis(100);
  private static final Duration D = Duration.ofMillis(500);
  private static final Duration BOUND = D.plus(H).plus(Duration.ofMillis(500));

  private final List<TieredCache<String, String>> nodes = new ArrayList<>();
  private final Workload workload = new Workload(50, BOUND);
  private @Nullable BusCluster cluster;

  @AfterEach
  void close() throws Exception {
    nodes.forEach(TieredCache::close);
    if (cluster != null) {
      cluster.close();
    }
  }

  @ParameterizedTest
  @EnumSource(value = BusCluster.Transport.class, names = {"NATS", "REDIS"})
  void redisStoppedWhileWritesGoOn_noReadIsStalerThanTheBound_andFailedWritesAreRepaired(
      BusCluster.Transport transport) throws Exception {
    BusCluster servers = new BusCluster(transport);
    cluster = servers;
    for (int i = 0; i < 3; i++) {
      BusCluster.Wiring w = servers.connect();
      nodes.add(Nodes.builder("pause", "items", w.redis(), w.bus(), workload::load, H, D)
          .config(TieredCacheConfig.custom().namespace("pause").remoteTimeout(Duration.ofMillis(300)).build())
          .versionOf(v -> Long.parseLong(v.substring(v.indexOf('@') + 1)))
          .build());
    }
    Nodes.awaitTrusted(nodes, Duration.ofSeconds(10));
    workload.versionedPuts(true);
    CompletableFuture<Void> fault =
        BusCluster.pauseLater(servers.redis, Duration.ofMillis(1_500), Duration.ofSeconds(3));
    workload.run(nodes, Duration.ofSeconds(7));
    fault.get(10, TimeUnit.SECONDS);
    Nodes.await().atMost(Duration.ofSeconds(15))
        .until(() -> nodes.stream().allMatch(n -> n.stats().l2Repairs().pending() == 0));
    Nodes.awaitTrusted(nodes, Duration.ofSeconds(10));
    workload.assertConverged(nodes, servers.inspector(), "pause", "items");
    long failed = workload.failedWrites();
    long repaired = nodes.stream().mapToLong(n -> n.stats().l2Repairs().repaired()).sum();
    long refused = nodes.stream().mapToLong(n -> n.stats().l2Repairs().refusedReads()).sum();
    System.out.printf("redis paused 3 s over %s: %s; %d writes failed, %d repairs landed, %d L2 reads refused%n",
        transport, workload, failed, repaired, refused);
    assertThat(failed).as("the pause made writes fail").isPositive();
    assertThat(repaired).as("every failed write was repaired").isPositive();
    assertThat(workload.violations()).as("reads staler than %s", BOUND).isZero();
  }
}
