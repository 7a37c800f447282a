package io.lamina.bus;

import static org.assertj.core.api.Assertions.assertThat;

import io.lamina.BusConfig;
import io.lamina.KeyCodecs;
import io.lamina.TieredCache;
import io.lamina.TieredCacheBuilder;
import io.lamina.TieredCacheConfig;
import io.lamina.ValueCodecs;
import io.lamina.redis.RedissonRemoteTier;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The staleness bound under a saturated CPU: three nodes in one JVM, four closed-loop readers each (twelve busy
 * threads on a machine of two cores), two writers, writes with and without {@code versionOf}. No fault: every
 * read must be within the staleness bound B of every write that had returned before it began — the bound holds
 * exactly when the service is busiest, because a node whose deliveries fall behind serves no L1 entry older than
 * B.
 */
@Timeout(120)
class SaturatedIT {

  private static final Duration H = Duration.ofMillis(50);
  private static final Duration D = Duration.ofSeconds(1);
  private static final Duration B = Duration.ofMillis(250);

  private final List<TieredCache<String, String>> nodes = new ArrayList<>();
  private final Workload workload = new Workload(200, B);
  private @Nullable BusCluster cluster;

  @AfterEach
  void close() throws Exception {
    nodes.forEach(TieredCache::close);
    if (cluster != null) {
      cluster.close();
    }
  }

  @ParameterizedTest(name = "{0}, versioned puts {1}")
  @CsvSource({"NATS, true", "NATS, false", "REDIS, true", "REDIS, false"})
  void closedLoopReaders_onEveryCore_noReadIsStalerThanTheBound(BusCluster.Transport transport, boolean versioned)
      throws Exception {
    BusCluster servers = new BusCluster(transport);
    cluster = servers;
    for (int i = 0; i < 3; i++) {
      BusCluster.Wiring w = servers.connect();
      TieredCacheBuilder<String, String> builder = TieredCache.<String, String>newBuilder("items")
          .remote(RedissonRemoteTier.of(w.redis()))
          .keyCodec(KeyCodecs.strings())
          .valueCodec(ValueCodecs.utf8())
          .loader(workload::load)
          .bus(w.bus())
          .busConfig(new BusConfig(H, D, 256, Duration.ofNanos(200_000), B))
          .config(TieredCacheConfig.custom().namespace("saturated").remoteTimeout(Duration.ofSeconds(2)).build());
      if (versioned) {
        builder.versionOf(v -> Long.parseLong(v.substring(v.indexOf('@') + 1)));
      }
      nodes.add(builder.build());
    }
    Nodes.awaitTrusted(nodes, Duration.ofSeconds(10));
    workload.versionedPuts(versioned);
    workload.closedLoop(4);
    workload.run(nodes, Duration.ofSeconds(5));
    long behind = nodes.stream().mapToLong(n -> n.coherence().behindTransitions()).sum();
    long lagMax = nodes.stream().mapToLong(n -> n.coherence().deliveryLagMaxMicros()).max().orElse(0) / 1_000;
    System.out.printf("saturated over %s (versioned puts %s): %s; %.0f reads/s; fell behind %d times, delivery lag"
        + " max %d ms%n", transport, versioned, workload, workload.reads() / 5.0, behind, lagMax);
    assertThat(workload.violations()).as("reads staler than B = %s", B).isZero();
    assertThat(workload.reads()).isGreaterThan(10_000);
  }
}
