package io.lamina.facade;

import static org.assertj.core.api.Assertions.assertThat;

import io.lamina.BusConfig;
import io.lamina.TieredCache;
import io.lamina.ValueCodecs;
import io.lamina.TieredCacheConfig;
import io.lamina.testkit.bus.InMemoryBusNetwork;
import io.lamina.testkit.memory.InMemoryLocalTier;
import io.lamina.testkit.memory.InMemoryRemoteTier;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Design rule 9: a failover to a replica that missed the last writes must not bring their old values back. Each
 * node sees another server answer as primary, treats it as a gap, and writes its recent L2 writes again.
 */
class FailoverRepairTest {

  private static final Duration H = Duration.ofMillis(50);
  private static final Duration D = Duration.ofMillis(250);

  private final InMemoryBusNetwork network = new InMemoryBusNetwork();
  private final InMemoryRemoteTier remote = new InMemoryRemoteTier();
  private final Map<String, String> source = new ConcurrentHashMap<>();
  private final List<TieredCache<String, String>> nodes = new ArrayList<>();

  @BeforeEach
  void threeNodes() {
    for (int i = 0; i < 3; i++) {
      nodes.add(TieredCache.<String, String>newBuilder("items")
          .config(TieredCacheConfig.custom().namespace("failover").build())
          .local(InMemoryLocalTier.provider()).remote(remote).valueCodec(ValueCodecs.utf8())
          .keyCodec(io.lamina.KeyCodecs.strings())
          .loader(source::get)
          .bus(network.connect())
          .busConfig(new BusConfig(H, D, 64, Duration.ofNanos(100_000)))
          .build());
    }
    Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> nodes.stream().allMatch(n -> n.coherence().trusted()));
  }

  @AfterEach
  void close() {
    nodes.forEach(TieredCache::close);
  }

  private void readEverywhere(String key, String expected) {
    for (TieredCache<String, String> n : nodes) {
      Awaitility.await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(5))
          .until(() -> expected.equals(n.get(key)));
    }
  }

  /** Every node has seen the failover: its L1 was flushed, so what it reads next comes from the new primary. */
  private void awaitFailoverSeen() {
    Awaitility.await().atMost(Duration.ofSeconds(5))
        .until(() -> nodes.stream().allMatch(n -> n.coherence().gaps().containsKey("failover")));
  }

  @Test
  void aTombstoneTheNewPrimaryNeverReceived_isWrittenAgain() {
    source.put("k", "v1");
    readEverywhere("k", "v1");
    Map<String, Object> replica = remote.replicaSnapshot(); // the replica stops receiving here
    source.put("k", "v2");
    nodes.get(0).invalidate("k");
    readEverywhere("k", "v2");

    remote.failOver(replica); // the replica, which still holds v1 in L2, takes over
    awaitFailoverSeen();
    readEverywhere("k", "v2");
    assertThat(nodes.get(0).stats().l2Repairs().repaired()).isPositive();
    // and it stays fresh: nothing brings v1 back
    for (int i = 0; i < 20; i++) {
      for (TieredCache<String, String> n : nodes) {
        assertThat(n.get("k")).isEqualTo("v2");
      }
    }
  }

  @Test
  void aClearTheNewPrimaryNeverReceived_isMadeAgain() {
    source.put("a", "a1");
    source.put("b", "b1");
    readEverywhere("a", "a1");
    readEverywhere("b", "b1");
    Map<String, Object> replica = remote.replicaSnapshot();
    source.put("a", "a2");
    source.put("b", "b2");
    nodes.get(1).invalidateAll();

    remote.failOver(replica);
    awaitFailoverSeen();
    readEverywhere("a", "a2");
    readEverywhere("b", "b2");
  }

  @Test
  void withoutAFailover_nothingIsWrittenAgain() throws Exception {
    source.put("k", "v1");
    readEverywhere("k", "v1");
    nodes.get(0).invalidate("k");
    Thread.sleep(4 * H.toMillis());
    assertThat(nodes.get(0).stats().l2Repairs().failed()).isZero();
    assertThat(nodes.get(0).coherence().gaps()).doesNotContainKey("failover");
  }
}
