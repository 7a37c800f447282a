package io.lamina.bus;

import static org.assertj.core.api.Assertions.assertThat;

import io.lamina.TieredCache;
import io.lamina.spi.InvalidationBus;
import io.lamina.testkit.bus.BusFaults;
import io.lamina.testkit.bus.FaultyBus;
import io.lamina.testkit.server.NatsServer;
import io.lamina.testkit.server.RedisServer;
import io.nats.client.Connection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;
import org.redisson.api.RedissonClient;

/**
 * Message faults the servers cannot stage themselves — random loss, total loss, duplication, reordering, forged
 * sequence numbers, a lost last message — injected in front of what real NATS and Redis Pub/Sub deliver to a
 * node, under writers, readers and invalidators on three nodes. Each scenario measures the worst staleness of any
 * read, asserts no read was staler than the bound (D plus a heartbeat plus slack: no write-through here, so
 * W = 0), and ends with every node's read == L2 == source.
 */
@Timeout(120)
class FaultsIT {

  enum Transport { NATS, REDIS }

  private static final Duration H = Duration.ofMillis(100);
  private static final Duration D = Duration.ofMillis(500);
  private static final Duration BOUND = D.plus(H).plus(Duration.ofMillis(500));
  private static final Duration RUN = Duration.ofSeconds(3);

  private final List<AutoCloseable> resources = new ArrayList<>();
  private final List<TieredCache<String, String>> nodes = new ArrayList<>();
  private final List<BusFaults> faults = new ArrayList<>();
  /** The write-through timeout: a writer's intent lives this long. */
  private static final Duration W = Duration.ofSeconds(1);

  private Workload workload = new Workload(20, BOUND);
  private boolean writeThrough;
  private RedisServer redis;

  @AfterEach
  void close() throws Exception {
    nodes.forEach(TieredCache::close);
    for (int i = resources.size() - 1; i >= 0; i--) {
      resources.get(i).close();
    }
  }

  private void cluster(Transport transport) throws Exception {
    redis = RedisServer.start();
    resources.add(redis);
    NatsServer nats = null;
    if (transport == Transport.NATS) {
      nats = NatsServer.start(false);
      resources.add(nats);
    }
    for (int i = 0; i < 3; i++) {
      RedissonClient client = RedisPubSubBusIT.client(redis);
      resources.add(client::shutdown);
      InvalidationBus bus;
      if (nats != null) {
        Connection connection = NatsInvalidationBus.connect(nats.url());
        resources.add(connection::close);
        bus = NatsInvalidationBus.of(connection);
      } else {
        bus = RedisPubSubInvalidationBus.of(client);
      }
      FaultyBus faulty = FaultyBus.wrap(bus);
      faults.add(faulty.faults());
      nodes.add(writeThrough
          ? Nodes.writeThroughNode("faults", "items", client, faulty, workload::load, workload::writeToSource, W, H, D)
          : Nodes.node("faults", "items", client, faulty, workload::load, H, D));
    }
    Nodes.awaitTrusted(nodes, Duration.ofSeconds(10));
  }

  private long gaps(int node, String reason) {
    return nodes.get(node).coherence().gaps().getOrDefault(reason, 0L);
  }

  private void converge(String scenario) {
    RedissonClient inspector = RedisPubSubBusIT.client(redis);
    resources.add(inspector::shutdown);
    Nodes.awaitTrusted(nodes, Duration.ofSeconds(10));
    workload.assertConverged(nodes, inspector, "faults", "items");
    System.out.printf("%s: %s; gaps node1 %s node2 %s%n", scenario, workload, nodes.get(1).coherence().gaps(),
        nodes.get(2).coherence().gaps());
    assertThat(workload.violations()).as("reads staler than %s", BOUND).isZero();
    assertThat(workload.reads()).isGreaterThan(1000);
  }

  @ParameterizedTest(name = "{0}, {1} lost")
  @CsvSource({"NATS, 0.01", "NATS, 0.10", "REDIS, 0.01", "REDIS, 0.10"})
  void randomLoss_isDetected_andNoReadIsStalerThanTheBound(Transport transport, double rate) throws Exception {
    cluster(transport);
    faults.get(1).dropRate(rate);
    faults.get(2).dropRate(rate);
    workload.run(nodes, RUN);
    assertThat(faults.get(1).dropped() + faults.get(2).dropped()).as("messages lost on purpose").isPositive();
    assertThat(gaps(1, "sequence") + gaps(1, "heartbeat") + gaps(2, "sequence") + gaps(2, "heartbeat"))
        .as("losses detected").isPositive();
    faults.get(1).dropRate(0);
    faults.get(2).dropRate(0);
    converge(transport + " " + rate * 100 + " % lost");
  }

  @ParameterizedTest
  @EnumSource(Transport.class)
  void everythingLost_degradesTheNodeWithinD_andNoReadIsStalerThanTheBound(Transport transport) throws Exception {
    cluster(transport);
    // Load runs from the moment the node goes deaf: what it serves before it notices is the staleness measured.
    CompletableFuture<Void> load = CompletableFuture.runAsync(() -> {
      try {
        workload.run(nodes, RUN);
      } catch (Exception e) {
        throw new CompletionException(e);
      }
    });
    long start = System.nanoTime();
    faults.get(2).dropRate(1.0);
    Nodes.await().atMost(BOUND).until(() -> !nodes.get(2).coherence().trusted());
    Duration detected = Duration.ofNanos(System.nanoTime() - start);
    load.get(RUN.toSeconds() + 60, TimeUnit.SECONDS);
    assertThat(nodes.get(2).coherence().trusted()).as("still deaf, still degraded").isFalse();
    faults.get(2).dropRate(0);
    converge(transport + " 100 % lost (degraded after " + detected.toMillis() + " ms)");
    assertThat(detected).isLessThan(D.plus(H).plus(H));
  }

  @ParameterizedTest
  @EnumSource(Transport.class)
  void duplicatedAndReordered_areHarmless(Transport transport) throws Exception {
    cluster(transport);
    faults.get(1).duplicate(true);
    faults.get(2).reorder(true);
    workload.run(nodes, RUN);
    assertThat(faults.get(1).delivered()).isPositive();
    faults.get(1).duplicate(false);
    faults.get(2).reorder(false);
    converge(transport + " duplicated/reordered");
  }

  @ParameterizedTest
  @EnumSource(Transport.class)
  void forgedSequenceNumbers_areGaps_andNoReadIsStalerThanTheBound(Transport transport) throws Exception {
    cluster(transport);
    faults.get(2).forgeSequences(5);
    workload.run(nodes, RUN);
    assertThat(gaps(2, "sequence")).isPositive();
    faults.get(2).forgeSequences(0);
    converge(transport + " forged sequences");
  }

  @ParameterizedTest
  @EnumSource(Transport.class)
  void lostLastMessage_beforeAQuietSpell_isRevealedByTheHeartbeat(Transport transport) throws Exception {
    cluster(transport);
    workload.read(nodes.get(2), "k0"); // cached in node 2's L1
    long heartbeatGaps = gaps(2, "heartbeat");
    faults.get(2).dropNextInvalidations(1); // the invalidation, and nothing follows it but heartbeats
    long start = System.nanoTime();
    workload.write(nodes.get(0), "k0");
    String truth = workload.load("k0");
    // Within the bound (the await fails past it), and through the heartbeat: not by the entry's expiry.
    Nodes.await().atMost(BOUND).until(() -> truth.equals(nodes.get(2).get("k0")));
    Duration stale = Duration.ofNanos(System.nanoTime() - start);
    assertThat(gaps(2, "heartbeat")).isGreaterThan(heartbeatGaps);
    System.out.printf("%s lost last message: stale for %d ms%n", transport, stale.toMillis());
  }

  @ParameterizedTest
  @EnumSource(Transport.class)
  void writeThrough_underLoss_noReadIsStalerThanMaxOfDAndW(Transport transport) throws Exception {
    Duration bound = (W.compareTo(D) > 0 ? W : D).plus(H).plus(Duration.ofMillis(500));
    workload = new Workload(20, bound);
    workload.writeThrough(true);
    writeThrough = true;
    cluster(transport);
    faults.get(1).dropRate(0.10);
    faults.get(2).dropRate(0.10);
    workload.run(nodes, RUN);
    faults.get(1).dropRate(0);
    faults.get(2).dropRate(0);
    assertThat(workload.writes()).isGreaterThan(100);
    converge(transport + " write-through, 10 % lost (bound " + bound.toMillis() + " ms)");
  }
}
