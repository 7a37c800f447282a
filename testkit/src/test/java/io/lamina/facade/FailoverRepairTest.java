package io.lamina.facade;

import static org.assertj.core.api.Assertions.assertThat;

import io.lamina.BusConfig;
import io.lamina.KeyCodecs;
import io.lamina.TieredCache;
import io.lamina.ValueCodecs;
import io.lamina.TieredCacheConfig;
import io.lamina.spi.RemoteStore;
import io.lamina.spi.RemoteStoreSpec;
import io.lamina.spi.RemoteTier;
import io.lamina.spi.Roster;
import io.lamina.testkit.bus.InMemoryBusNetwork;
import io.lamina.testkit.memory.InMemoryLocalTier;
import io.lamina.testkit.memory.InMemoryRemoteTier;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
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

  /** Node 0's view of the roster: it can be held on the old primary's identity, as a slow topology refresh does. */
  private final LaggingIdentity laggard = new LaggingIdentity(remote);

  @BeforeEach
  void threeNodes() {
    for (int i = 0; i < 3; i++) {
      nodes.add(TieredCache.<String, String>newBuilder("items")
          .config(TieredCacheConfig.custom().namespace("failover").build())
          .local(InMemoryLocalTier.provider()).remote(i == 0 ? laggard : remote).valueCodec(ValueCodecs.utf8())
          .keyCodec(KeyCodecs.strings())
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

  /**
   * The writer (node 0) detects the failover last. Until it has written its recent writes again, the nodes that
   * detected it first must not take the new primary's entries as fresh: the one for "k" lacks the writer's
   * tombstone. Before, node 1 read v1 from the new primary, cached it, and served it until node 0 caught up.
   */
  @Test
  void nodesThatSeeTheFailoverFirst_trustNoL2EntryUntilTheWriterHasWrittenItsWritesAgain() throws Exception {
    source.put("k", "v1");
    readEverywhere("k", "v1");
    Map<String, Object> replica = remote.replicaSnapshot();
    source.put("k", "v2");
    nodes.get(0).invalidate("k");
    readEverywhere("k", "v2");

    laggard.hold(true);
    remote.failOver(replica); // the new primary holds v1 for "k"
    Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> nodes.subList(1, 3).stream()
        .allMatch(n -> n.coherence().gaps().containsKey("failover") && n.coherence().trusted()));
    long until = System.nanoTime() + 4 * D.toNanos();
    while (System.nanoTime() < until) {
      for (TieredCache<String, String> n : nodes.subList(1, 3)) {
        assertThat(n.get("k")).as("a node that saw the failover before the writer did").isEqualTo("v2");
      }
    }
    assertThat(nodes.get(1).stats().l2Repairs().refusedReads()).as("it refused the new primary's entry")
        .isPositive();

    laggard.hold(false);
    awaitFailoverSeen();
    readEverywhere("k", "v2");
    assertThat(servedFromL2ByNode1("after")).as("once the writer caught up, L2 is trusted again").isTrue();
  }

  private final AtomicInteger fresh = new AtomicInteger();

  /**
   * Whether node 1 takes an L2 entry as fresh now: node 2 loads a new key (filling L2: a miss may be filled),
   * then node 1, with nothing in L1 for it, reads it from L2.
   */
  private boolean servedFromL2ByNode1(String prefix) {
    String key = prefix + fresh.incrementAndGet();
    source.put(key, "x");
    assertThat(nodes.get(2).get(key)).isEqualTo("x");
    long refused = nodes.get(1).stats().l2Repairs().refusedReads();
    assertThat(nodes.get(1).get(key)).isEqualTo("x");
    return nodes.get(1).stats().l2Repairs().refusedReads() == refused;
  }

  /** A peer that never reports the new primary is waited for a while, then L2 is trusted again without it. */
  @Test
  void aPeerThatNeverReportsTheNewPrimary_isWaitedForAtMostTheSettlingTimeout() throws Exception {
    source.put("k", "v1");
    readEverywhere("k", "v1");
    Map<String, Object> replica = remote.replicaSnapshot();
    laggard.hold(true);
    remote.failOver(replica);
    long start = System.nanoTime();
    Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> nodes.get(1).coherence().gaps()
        .containsKey("failover"));
    assertThat(servedFromL2ByNode1("during")).as("waiting for node 0").isFalse();
    Awaitility.await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(20))
        .until(() -> servedFromL2ByNode1("until"));
    assertThat(Duration.ofNanos(System.nanoTime() - start)).as("the settling timeout: max(5 s, 10 D)")
        .isGreaterThanOrEqualTo(Duration.ofSeconds(5).minusMillis(100));
  }

  /** A tier whose roster can be held on the primary it reported last. */
  static final class LaggingIdentity implements RemoteTier {
    private final InMemoryRemoteTier delegate;
    private volatile boolean held;
    private volatile String last = "";

    LaggingIdentity(InMemoryRemoteTier delegate) {
      this.delegate = delegate;
    }

    void hold(boolean on) {
      held = on;
    }

    @Override
    public RemoteStore open(RemoteStoreSpec spec) {
      return delegate.open(spec);
    }

    @Override
    public String name() {
      return "memory-lagging-identity";
    }

    @Override
    public Roster roster(String namespace) {
      Roster roster = delegate.roster(namespace);
      return new Roster() {
        @Override
        public CompletionStage<Set<String>> renew(String node, long ttlMillis) {
          return roster.renew(node, ttlMillis);
        }

        @Override
        public CompletionStage<Void> leave(String node) {
          return roster.leave(node);
        }

        @Override
        public CompletionStage<String> serverIdentity() {
          if (held) {
            return CompletableFuture.completedFuture(last);
          }
          return roster.serverIdentity().thenApply(now -> {
            last = now;
            return now;
          });
        }
      };
    }
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
