package io.lamina.facade;

import static org.assertj.core.api.Assertions.assertThat;

import io.lamina.BusConfig;
import io.lamina.KeyCodecs;
import io.lamina.Ticker;
import io.lamina.TierUnavailableException;
import io.lamina.TieredCache;
import io.lamina.TieredCacheConfig;
import io.lamina.ValueCodecs;
import io.lamina.spi.LocalTier;
import io.lamina.spi.LocalTierProvider;
import io.lamina.testkit.bus.InMemoryBusNetwork;
import io.lamina.testkit.memory.InMemoryLocalTier;
import io.lamina.testkit.memory.InMemoryRemoteTier;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.assertj.core.api.Assertions;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionFactory;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.RepeatedTest;

/**
 * Writes that race other nodes' writes and whole-cache invalidations, forced into the orders that once left a
 * node serving an older value than L2 holds until its L1 expiry (two nodes, one shared L2, one bus).
 */
class WriteCoherenceTest {

  private static final Duration H = Duration.ofMillis(20);
  private static final Duration D = Duration.ofMillis(200);

  private static ConditionFactory await() {
    return Awaitility.await().pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(1))
        .atMost(Duration.ofSeconds(5));
  }

  private final InMemoryBusNetwork network = new InMemoryBusNetwork();
  private final InMemoryRemoteTier remote = new InMemoryRemoteTier();
  private final Map<String, String> source = new ConcurrentHashMap<>();
  private final List<TieredCache<String, String>> nodes = new ArrayList<>();
  private final List<InMemoryLocalTier<?>> l1s = new ArrayList<>();

  @BeforeEach
  void twoNodes() {
    for (int i = 0; i < 2; i++) {
      nodes.add(TieredCache.<String, String>newBuilder("items")
          .config(TieredCacheConfig.custom().namespace("writes").build())
          .local(new LocalTierProvider() {
            @Override
            public <K> LocalTier<K> create(String cacheName, long maximumSize, Ticker ticker, Executor executor) {
              InMemoryLocalTier<K> tier = new InMemoryLocalTier<>(maximumSize, ticker);
              l1s.add(tier);
              return tier;
            }
          })
          .remote(remote)
          .keyCodec(KeyCodecs.strings())
          .valueCodec(ValueCodecs.utf8())
          .loader(source::get)
          .versionOf(v -> Long.parseLong(v.substring(v.indexOf('@') + 1)))
          .bus(network.connect())
          .busConfig(new BusConfig(H, D, 64, Duration.ofNanos(100_000)))
          .build());
    }
    await().until(() -> nodes.stream().allMatch(n -> n.coherence().trusted()));
  }

  @AfterEach
  void close() {
    nodes.forEach(TieredCache::close);
  }

  /**
   * Node A's versioned put lands in L2; before A stores it in its own L1, node B writes a newer version and A
   * applies B's invalidation. A must not then keep its older value in L1.
   */
  @RepeatedTest(20)
  void ownWrite_overtakenWhileItsScriptRan_isNotKeptInL1() {
    TieredCache<String, String> a = nodes.get(0);
    TieredCache<String, String> b = nodes.get(1);
    AtomicBoolean armed = new AtomicBoolean(true);
    long receivedBefore = a.coherence().invalidationsReceived();
    remote.afterWrite(key -> {
      if (armed.compareAndSet(true, false)) {
        source.put("k", "b@6");
        b.put("k", "b@6");
        await().until(() -> a.coherence().invalidationsReceived() > receivedBefore);
      }
    });
    source.put("k", "a@5");
    a.put("k", "a@5");
    remote.afterWrite(key -> {});
    assertThat(a.get("k")).as("node A serves what L2 and the source hold").isEqualTo("b@6");
    assertThat(b.get("k")).isEqualTo("b@6");
  }

  /**
   * Both nodes read {@code k} at v@1 (so L1 and L2 hold it), then the source moves to v@2 without a versioned
   * write: only dropping the whole cache brings it.
   */
  private void bothHoldV1_thenTheSourceMovesOn(TieredCache<String, String> a, TieredCache<String, String> b) {
    source.put("k", "v@1");
    assertThat(a.get("k")).isEqualTo("v@1");
    assertThat(b.get("k")).isEqualTo("v@1");
    source.put("k", "v@2");
  }

  /**
   * {@code invalidateAll()} on A: node B must not refill its L1 from the old L2 after A's flush reached it and
   * keep that copy after L2 is cleared.
   */
  @RepeatedTest(20)
  void invalidateAll_leavesNoNodeServingTheOldL2() {
    TieredCache<String, String> a = nodes.get(0);
    TieredCache<String, String> b = nodes.get(1);
    bothHoldV1_thenTheSourceMovesOn(a, b);
    AtomicBoolean armed = new AtomicBoolean(true);
    remote.beforeClear(() -> {
      if (armed.compareAndSet(true, false)) {
        // If A announced its flush before clearing L2, let it reach B; then a reader on B reads the cache while
        // L2 still holds the old entry.
        try {
          await().atMost(Duration.ofMillis(300)).until(() -> l1s.get(1).estimatedSize() == 0);
        } catch (ConditionTimeoutException announcedLater) {
          // the flush is announced after L2 is cleared: nothing to wait for
        }
        b.get("k");
      }
    });
    a.invalidateAll();
    remote.beforeClear(() -> {});
    await().until(() -> "v@2".equals(b.get("k")));
    assertThat(a.get("k")).isEqualTo("v@2");
  }

  /**
   * {@code invalidateAll()} on A whose L2 clear fails: every L1 is flushed and the clear is retried, and until it
   * lands neither node may take the old L2 entry as fresh — including an id A had already left unrepaired (rule 13
   * for the whole cache). Before, B refilled its L1 from the old L2 at once.
   */
  @RepeatedTest(10)
  void invalidateAll_whoseL2ClearFails_leavesNoNodeServingTheOldL2_untilTheClearLands() {
    TieredCache<String, String> a = nodes.get(0);
    TieredCache<String, String> b = nodes.get(1);
    bothHoldV1_thenTheSourceMovesOn(a, b);
    AtomicBoolean refuse = new AtomicBoolean(true);
    remote.beforeClear(() -> {
      if (refuse.get()) {
        throw new IllegalStateException("clear refused");
      }
    });
    Assertions.assertThatThrownBy(a::invalidateAll)
        .isInstanceOf(TierUnavailableException.class);
    await().until(() -> l1s.get(1).estimatedSize() == 0); // B heard the flush
    for (int i = 0; i < 20; i++) {
      assertThat(b.get("k")).as("B, while A's clear is retried").isEqualTo("v@2");
      assertThat(a.get("k")).as("A, while its clear is retried").isEqualTo("v@2");
    }
    refuse.set(false);
    await().until(() -> remote.keys().stream().noneMatch(k -> k.endsWith(":k")));
    await().until(() -> "v@2".equals(b.get("k")) && "v@2".equals(a.get("k")));
    remote.beforeClear(() -> {});
  }

  /**
   * Node A holds {@code k}'s lease and loads it; meanwhile node B, finding the lease held, loads the source itself
   * and keeps v@1 in its L1. The source moves to v@2, A's load fills L2 with v@2 (fills are not broadcast), then
   * A's versioned put of v@2 finds L2 already at that source version and is refused. The put still completed a
   * write, so B must not keep serving v@1: the refused put tells the other nodes too.
   */
  @RepeatedTest(20)
  void versionedPut_refusedBecauseAFillGotThereFirst_stillInvalidatesOtherNodes() throws Exception {
    TieredCache<String, String> a = nodes.get(0);
    TieredCache<String, String> b = nodes.get(1);
    source.put("k", "v@1");
    CountDownLatch loading = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    CompletableFuture<String> aRead = CompletableFuture.supplyAsync(() -> a.get("k", key -> {
      loading.countDown();
      release.await();
      return source.get(key);
    }));
    assertThat(loading.await(5, TimeUnit.SECONDS)).isTrue();
    assertThat(b.get("k")).isEqualTo("v@1");
    source.put("k", "v@2");
    release.countDown();
    assertThat(aRead.get(5, TimeUnit.SECONDS)).isEqualTo("v@2");

    a.put("k", "v@2");

    await().untilAsserted(() -> assertThat(b.get("k")).as("node B after A's put returned").isEqualTo("v@2"));
  }
}
