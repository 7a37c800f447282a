package io.lamina.facade;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lamina.BusConfig;
import io.lamina.KeyCodecs;
import io.lamina.TierUnavailableException;
import io.lamina.TieredCache;
import io.lamina.TieredCacheConfig;
import io.lamina.ValueCodecs;
import io.lamina.spi.FillResult;
import io.lamina.spi.RemoteEntry;
import io.lamina.spi.RemoteStore;
import io.lamina.spi.RemoteStoreSpec;
import io.lamina.spi.RemoteTier;
import io.lamina.spi.Roster;
import io.lamina.spi.Version;
import io.lamina.testkit.bus.InMemoryBusNetwork;
import io.lamina.testkit.memory.InMemoryLocalTier;
import io.lamina.testkit.memory.InMemoryRemoteTier;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionFactory;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Design rule 13: a write whose L2 part fails after the source changed is the cache's to repair. Node A's own
 * connection to L2 refuses writes (reads still work, for A and for B); until A's repair lands, no node may take
 * the key's old L2 entry as fresh, and once L2 takes writes again the repair lands and is announced.
 */
class RemoteRepairTest {

  private static final Duration H = Duration.ofMillis(20);
  private static final Duration D = Duration.ofMillis(200);

  private static ConditionFactory await() {
    return Awaitility.await().pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(2))
        .atMost(Duration.ofSeconds(10));
  }

  private final InMemoryBusNetwork network = new InMemoryBusNetwork();
  private final InMemoryRemoteTier shared = new InMemoryRemoteTier();
  private final WriteRefusingTier aTier = new WriteRefusingTier(shared);
  private final Map<String, String> source = new ConcurrentHashMap<>();
  private final InMemoryBusNetwork.Connection bBus = network.connect();
  private TieredCache<String, String> a;
  private TieredCache<String, String> b;

  @BeforeEach
  void twoNodes() {
    a = node(aTier);
    b = node(shared, bBus);
    await().until(() -> a.coherence().trusted() && b.coherence().trusted());
  }

  @AfterEach
  void close() {
    a.close();
    b.close();
  }

  private TieredCache<String, String> node(RemoteTier tier) {
    return node(tier, network.connect());
  }

  private TieredCache<String, String> node(RemoteTier tier, InMemoryBusNetwork.Connection bus) {
    return TieredCache.<String, String>newBuilder("items")
        .config(TieredCacheConfig.custom().namespace("repairs").build())
        .local(InMemoryLocalTier.provider())
        .remote(tier)
        .keyCodec(KeyCodecs.strings())
        .valueCodec(ValueCodecs.utf8())
        .loader(source::get)
        .versionOf(v -> Long.parseLong(v.substring(v.indexOf('@') + 1)))
        .bus(bus)
        .busConfig(new BusConfig(H, D, 64, Duration.ofNanos(100_000)))
        .build();
  }

  private void warm(String key, String value) {
    source.put(key, value);
    assertThat(a.get(key)).isEqualTo(value);
    assertThat(b.get(key)).isEqualTo(value);
  }

  @Test
  void failedInvalidate_isRefusedEverywhere_untilItsRepairLands() {
    warm("k", "v@1");
    aTier.refuseWrites = true;
    source.put("k", "v@2");
    assertThatThrownBy(() -> a.invalidate("k")).isInstanceOf(TierUnavailableException.class);
    await().until(() -> "v@2".equals(b.get("k")));
    assertThat(b.stats().l2Repairs().refusedReads()).as("B read the old L2 entry and did not trust it")
        .isPositive();
    assertThat(a.get("k")).as("the writer's own node refuses it at once").isEqualTo("v@2");
    assertThat(b.get("k")).isEqualTo("v@2");
    assertThat(shared.stateOf("repairs:items:1:k")).as("L2 still holds the old value").isEqualTo("V");
    assertThat(a.stats().l2Repairs().pending()).isEqualTo(1);

    aTier.refuseWrites = false;
    await().until(() -> a.stats().l2Repairs().repaired() == 1 && a.stats().l2Repairs().pending() == 0);
    await().until(() -> "T".equals(shared.stateOf("repairs:items:1:k"))
        || "V".equals(shared.stateOf("repairs:items:1:k")) && "v@2".equals(b.getIfPresent("k")));
    long refused = b.stats().l2Repairs().refusedReads();
    await().until(() -> {
      b.get("k");
      return b.stats().l1().hits() > 0 && b.stats().l2Repairs().refusedReads() == refused;
    });
    assertThat(b.get("k")).as("after the repair B caches the key again").isEqualTo("v@2");
  }

  @Test
  void failedVersionedPut_isRefusedEverywhere_untilItsRepairLands() {
    warm("k", "v@1");
    aTier.refuseWrites = true;
    source.put("k", "v@2");
    assertThatThrownBy(() -> a.put("k", "v@2")).isInstanceOf(TierUnavailableException.class);
    await().until(() -> "v@2".equals(b.get("k")));
    assertThat(a.get("k")).isEqualTo("v@2");
    aTier.refuseWrites = false;
    await().until(() -> a.stats().l2Repairs().pending() == 0 && a.stats().l2Repairs().repaired() == 1);
    assertThat(b.get("k")).isEqualTo("v@2");
    assertThat(a.get("k")).isEqualTo("v@2");
  }

  @Test
  void moreFailuresThanTheQueueHolds_becomeOneClearOfTheWholeCache() {
    List<String> keys = IntStream.range(0, 10_001).mapToObj(i -> "k" + i).collect(Collectors.toList());
    warm("k0", "v@1");
    aTier.refuseWrites = true;
    source.put("k0", "v@2");
    assertThatThrownBy(() -> a.invalidateAll(keys)).isInstanceOf(TierUnavailableException.class);
    assertThat(a.stats().l2Repairs().overflows()).isEqualTo(1);
    assertThat(a.stats().l2Repairs().pending()).as("one clear stands for all of them").isEqualTo(1);
    aTier.refuseWrites = false;
    await().until(() -> a.stats().l2Repairs().pending() == 0);
    assertThat(shared.stateOf("repairs:items:1:k0")).as("L2 was cleared").isNull();
    await().until(() -> "v@2".equals(b.get("k0")));
    assertThat(a.get("k0")).isEqualTo("v@2");
  }

  /**
   * A versioned put that failed from its writer's view (a timeout) reaches L2 after all, sent again by its
   * client once the write had been repaired — after another node's successful invalidation of a newer source
   * version. The repair's fence must refuse it; before fences, L2 kept the failed write's value, older than the
   * source, until its TTL, and every node with an empty L1 served it.
   */
  @Test
  void aFailedPutThatLandsAfterItsRepair_isFencedOut() {
    warm("k", "v@1");
    aTier.holdWrites = true; // A's writes fail toward A, and are kept to land later
    source.put("k", "v@2");
    assertThatThrownBy(() -> a.put("k", "v@2")).isInstanceOf(TierUnavailableException.class);
    aTier.holdWrites = false;
    source.put("k", "v@3");
    b.invalidate("k"); // B's tombstone lands; the source is at 3 and L2 has never seen 2 or 3
    await().until(() -> a.stats().l2Repairs().pending() == 0 && a.stats().l2Repairs().repaired() == 1);
    assertThat(aTier.landHeldWrites()).as("the client's retry of A's put of v@2 arrives now").hasSize(1);
    try (TieredCache<String, String> c = node(shared)) {
      assertThat(c.get("k")).as("a node with an empty L1 after the late put").isEqualTo("v@3");
    }
    assertThat(b.get("k")).isEqualTo("v@3");
  }

  /**
   * A node that was off the bus when the failed write was announced (its subscription down) must learn that the
   * id is unrepaired while the repair is still failing, not only once it lands: otherwise, back on the bus, it
   * takes the old L2 entry as fresh for as long as L2 refuses the repair.
   */
  @Test
  void aNodeThatMissedTheAnnouncement_learnsItFromTheRepairsRetries() {
    warm("k", "v@1");
    bBus.faults().cut(true);
    aTier.refuseWrites = true;
    source.put("k", "v@2");
    assertThatThrownBy(() -> a.invalidate("k")).isInstanceOf(TierUnavailableException.class);
    await().until(() -> !b.coherence().trusted());
    bBus.faults().cut(false);
    await().until(() -> "v@2".equals(b.get("k")));
    assertThat(a.stats().l2Repairs().pending()).as("the repair has not landed: L2 still refuses A").isEqualTo(1);
    assertThat(shared.stateOf("repairs:items:1:k")).as("L2 still holds the old value").isEqualTo("V");
    for (int i = 0; i < 50; i++) {
      assertThat(b.get("k")).isEqualTo("v@2");
    }
  }

  /** The shared tier, seen through a connection whose writes (tombstones, versioned puts, clears) fail. */
  static final class WriteRefusingTier implements RemoteTier {
    private final InMemoryRemoteTier delegate;
    volatile boolean refuseWrites;
    /** Writes fail toward the caller but are kept, to reach L2 when {@link #landHeldWrites} is called. */
    volatile boolean holdWrites;
    private final List<Supplier<? extends CompletionStage<?>>> held = new CopyOnWriteArrayList<>();

    /** Sends the held writes now; returns their answers. */
    List<Object> landHeldWrites() {
      List<Object> answers = new ArrayList<>();
      for (Supplier<? extends CompletionStage<?>> write : held) {
        answers.add(write.get().toCompletableFuture().join());
      }
      held.clear();
      return answers;
    }

    WriteRefusingTier(InMemoryRemoteTier delegate) {
      this.delegate = delegate;
    }

    @Override
    public RemoteStore open(RemoteStoreSpec spec) {
      RemoteStore store = delegate.open(spec);
      return new RemoteStore() {
        private <T> CompletionStage<T> write(Supplier<CompletionStage<T>> call) {
          if (holdWrites) {
            held.add(call);
            return CompletableFuture.failedFuture(new IOException("timed out"));
          }
          return refuseWrites ? CompletableFuture.failedFuture(new IOException("connection reset")) : call.get();
        }

        @Override
        public CompletionStage<RemoteEntry> read(String id, @Nullable String leaseToken, long leaseMillis) {
          return store.read(id, leaseToken, leaseMillis);
        }

        @Override
        public CompletionStage<List<RemoteEntry>> readAll(List<String> ids, @Nullable List<String> leaseTokens,
            long leaseMillis) {
          return store.readAll(ids, leaseTokens, leaseMillis);
        }

        @Override
        public CompletionStage<FillResult> fill(String id, String leaseToken, byte @Nullable [] payload,
            long ttlMillis, long sourceVersion) {
          return store.fill(id, leaseToken, payload, ttlMillis, sourceVersion);
        }

        @Override
        public CompletionStage<List<FillResult>> fillAll(List<Fill> fills) {
          return store.fillAll(fills);
        }

        @Override
        public CompletionStage<Version> tombstone(String id) {
          return write(() -> store.tombstone(id));
        }

        @Override
        public CompletionStage<List<Version>> tombstoneAll(List<String> ids) {
          return write(() -> store.tombstoneAll(new ArrayList<>(ids)));
        }

        @Override
        public CompletionStage<List<Version>> fenceAll(List<String> ids, long[] fences) {
          return write(() -> store.fenceAll(new ArrayList<>(ids), fences.clone()));
        }

        @Override
        public CompletionStage<Version> intent(String id, long ttlMillis) {
          return write(() -> store.intent(id, ttlMillis));
        }

        @Override
        public CompletionStage<FillResult> putVersioned(String id, long sourceVersion, byte[] payload,
            long ttlMillis) {
          return write(() -> store.putVersioned(id, sourceVersion, payload, ttlMillis));
        }

        @Override
        public CompletionStage<Boolean> removeCorrupt(String id, Version expected) {
          return store.removeCorrupt(id, expected);
        }

        @Override
        public CompletionStage<Void> clear() {
          return write(store::clear);
        }
      };
    }

    @Override
    public String name() {
      return "memory-write-refusing";
    }

    @Override
    public Roster roster(String namespace) {
      return delegate.roster(namespace);
    }
  }
}
