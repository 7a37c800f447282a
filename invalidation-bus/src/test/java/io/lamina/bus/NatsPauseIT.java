package io.lamina.bus;

import static org.assertj.core.api.Assertions.assertThat;

import io.lamina.TieredCache;
import io.lamina.testkit.server.NatsServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The NATS server stopped (SIGSTOP) for 3 s while three nodes write and read: nothing is lost, only delayed, so no
 * gap is seen — when the server resumes, the messages sent during the stop arrive late. Every read is checked
 * against the writes that had returned before it began: none may be staler than the bound (D plus a heartbeat plus
 * slack), on core NATS and with JetStream, and every node converges to L2 == source.
 */
@Timeout(120)
class NatsPauseIT {

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
  @EnumSource(value = BusCluster.Transport.class, names = {"NATS", "JETSTREAM"})
  void natsStoppedWhileWritesGoOn_noReadIsStalerThanTheBound(BusCluster.Transport transport) throws Exception {
    BusCluster servers = new BusCluster(transport);
    cluster = servers;
    NatsServer nats = Objects.requireNonNull(servers.nats);
    for (int i = 0; i < 3; i++) {
      BusCluster.Wiring w = servers.connect();
      nodes.add(Nodes.node("natspause", "items", w.redis(), w.bus(), workload::load, H, D));
    }
    Nodes.awaitTrusted(nodes, Duration.ofSeconds(10));
    CompletableFuture<Void> fault =
        BusCluster.pauseLater(nats, Duration.ofMillis(1_500), Duration.ofSeconds(3));
    workload.run(nodes, Duration.ofSeconds(7));
    fault.get(10, TimeUnit.SECONDS);
    Nodes.awaitTrusted(nodes, Duration.ofSeconds(10));
    workload.assertConverged(nodes, servers.inspector(), "natspause", "items");
    System.out.printf("nats paused 3 s (%s): %s; flushes %d/%d/%d, delivery lag max %d ms%n", transport,
        workload, nodes.get(0).coherence().flushes(), nodes.get(1).coherence().flushes(),
        nodes.get(2).coherence().flushes(),
        nodes.stream().mapToLong(n -> n.coherence().deliveryLagMaxMicros()).max().orElse(0) / 1_000);
    assertThat(workload.violations()).as("reads staler than %s", BOUND).isZero();
  }
}
