package io.lamina.warming;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lamina.BulkLoader;
import io.lamina.KeyCodecs;
import io.lamina.TieredCache;
import io.lamina.TieredCacheConfig;
import io.lamina.ValueCodecs;
import io.lamina.spi.RemoteStoreSpec;
import io.lamina.testkit.memory.InMemoryLocalTier;
import io.lamina.testkit.memory.InMemoryRemoteTier;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Warm-up plans and their execution on in-memory tiers: phases, counts, failures, deadline, cap. */
class CacheWarmerTest {

  private final InMemoryRemoteTier remote = new InMemoryRemoteTier();
  private final AtomicInteger sourceKeys = new AtomicInteger();
  private final List<TieredCache<?, ?>> opened = new ArrayList<>();
  private volatile BulkLoader<String, String> source = keys -> {
    sourceKeys.addAndGet(keys.size());
    Map<String, String> found = new HashMap<>();
    for (String k : keys) {
      if (!k.startsWith("none")) {
        found.put(k, "v:" + k);
      }
    }
    return found;
  };

  @AfterEach
  void close() {
    opened.forEach(TieredCache::close);
  }

  private TieredCache<String, String> node() {
    TieredCache<String, String> cache = TieredCache.<String, String>newBuilder("items")
        .config(TieredCacheConfig.custom().namespace("warm").build())
        .local(InMemoryLocalTier.provider()).remote(remote).valueCodec(ValueCodecs.utf8()).keyCodec(KeyCodecs.strings())
        .bulkLoader(keys -> source.loadAll(keys))
        .build();
    opened.add(cache);
    return cache;
  }

  private static List<String> keys(String prefix, int n) {
    return IntStream.range(0, n).mapToObj(i -> prefix + i).toList();
  }

  private static WarmupConfig.Builder fast() {
    return WarmupConfig.custom().batchSize(50).sourceRateLimit(100_000).deadline(Duration.ofSeconds(20));
  }

  @Test
  void keysL2Holds_comeFromL2_andOnlyTheRestFromTheSource() throws Exception {
    node().getAll(keys("k", 100)); // another instance filled L2 with the first 100
    sourceKeys.set(0);
    TieredCache<String, String> fresh = node();
    WarmupProgress end = CacheWarmer.newBuilder(fresh).keys(keys("k", 300)).config(fast().build()).build()
        .start().await();
    assertThat(end.state()).isEqualTo(WarmupState.DONE);
    assertThat(end.total()).isEqualTo(300);
    assertThat(end.fromL2()).isEqualTo(100);
    assertThat(end.loaded()).isEqualTo(200);
    assertThat(sourceKeys.get()).as("keys asked from the source").isEqualTo(200);
    long hits = fresh.stats().l1().hits();
    assertThat(fresh.getAll(keys("k", 300))).hasSize(300);
    assertThat(fresh.stats().l1().hits() - hits).as("every key is in L1 now").isEqualTo(300);
  }

  @Test
  void l2Only_neverCallsTheSource_andCountsWhatL2Lacks() throws Exception {
    node().getAll(keys("k", 40));
    sourceKeys.set(0);
    TieredCache<String, String> fresh = node();
    WarmupProgress end = CacheWarmer.newBuilder(fresh).keys(keys("k", 100))
        .config(fast().mode(WarmupMode.L2_ONLY).build()).build().start().await();
    assertThat(end.state()).isEqualTo(WarmupState.DONE);
    assertThat(end.fromL2()).isEqualTo(40);
    assertThat(end.absent()).isEqualTo(60);
    assertThat(end.done()).isEqualTo(100);
    assertThat(sourceKeys.get()).isZero();
  }

  @Test
  void sources_areCombined_inOrder_duplicatesOnce_andCappedAtMaxKeys() throws Exception {
    TieredCache<String, String> cache = node();
    Warmup w = CacheWarmer.newBuilder(cache)
        .keys(List.of("a", "b", "c"))
        .source(() -> List.of("c", "d", "none1", "e", "f"))
        .config(fast().maxKeys(5).build()).build().start();
    WarmupProgress end = w.await();
    assertThat(end.total()).isEqualTo(5);
    assertThat(end.skipped()).as("e and f were past maxKeys").isEqualTo(2);
    assertThat(end.loaded()).isEqualTo(4);
    assertThat(end.absent()).as("none1 is a negative result").isEqualTo(1);
    assertThat(end.fraction()).isEqualTo(1.0);
    assertThat(end.timeLeft()).isEqualTo(Duration.ZERO);
  }

  @Test
  void aSourceThatThrows_isReported_andTheOthersStillRun() throws Exception {
    WarmupProgress end = CacheWarmer.newBuilder(node())
        .source(new WarmupSource<String>() {
          @Override
          public Iterable<String> keys() throws Exception {
            throw new SQLException("best-sellers query failed");
          }

          @Override
          public String name() {
            return "best-sellers";
          }
        })
        .keys(keys("k", 10)).config(fast().build()).build().start().await();
    assertThat(end.state()).isEqualTo(WarmupState.DONE);
    assertThat(end.loaded()).isEqualTo(10);
    assertThat(end.lastError()).contains("best-sellers").contains("best-sellers query failed");
    assertThat(end.describe()).contains("last error");
  }

  @Test
  void batchesTheSourceRefuses_areCountedAsFailed_andTheRestIsWarmed() throws Exception {
    source = keys -> {
      if (keys.stream().anyMatch(k -> k.compareTo("k2") >= 0 && k.compareTo("k3") < 0)) {
        throw new IllegalStateException("database down for k2*");
      }
      Map<String, String> found = new HashMap<>();
      keys.forEach(k -> found.put(k, "v:" + k));
      return found;
    };
    List<String> plan = List.of("k10", "k11", "k20", "k21", "k30", "k31");
    WarmupProgress end = CacheWarmer.newBuilder(node()).keys(plan).config(fast().batchSize(2).build()).build()
        .start().await();
    assertThat(end.state()).isEqualTo(WarmupState.DONE);
    assertThat(end.failed()).isEqualTo(2);
    assertThat(end.loaded()).isEqualTo(4);
    assertThat(end.lastError()).contains("database down for k2*");
  }

  @Test
  void theSourcePass_keepsThePlansOrder_whateverOrderTheL2BatchesEnded() throws Exception {
    // The L2 pass runs its batches concurrently; the keys they miss must still reach the source in the plan's
    // order (it lists the hottest keys first) and in the plan's batches.
    for (int round = 0; round < 50; round++) {
      List<String> plan = keys("r" + round + "-k", 200);
      List<Set<String>> asked = Collections.synchronizedList(new ArrayList<>());
      source = keys -> {
        asked.add(Set.copyOf(keys));
        Map<String, String> found = new HashMap<>();
        keys.forEach(k -> found.put(k, "v:" + k));
        return found;
      };
      WarmupProgress end = CacheWarmer.newBuilder(node()).keys(plan)
          .config(fast().batchSize(2).concurrency(4).build()).build().start().await();
      assertThat(end.loaded()).isEqualTo(200);
      List<Set<String>> expected = IntStream.range(0, 100)
          .mapToObj(i -> Set.copyOf(plan.subList(2 * i, 2 * i + 2))).toList();
      assertThat(asked).as("round %d", round).containsExactlyInAnyOrderElementsOf(expected);
    }
  }

  @Test
  void aHungSource_endsAtTheDeadline_withWhatItReached() throws Exception {
    CountDownLatch never = new CountDownLatch(1);
    source = keys -> {
      never.await();
      return Map.of();
    };
    long start = System.nanoTime();
    WarmupProgress end = CacheWarmer.newBuilder(node()).keys(keys("k", 100))
        .config(fast().deadline(Duration.ofMillis(400)).build()).build().start().await();
    long tookMillis = (System.nanoTime() - start) / 1_000_000;
    assertThat(end.state()).isEqualTo(WarmupState.TIMED_OUT);
    assertThat(tookMillis).isBetween(350L, 3_000L);
    assertThat(end.skipped()).isEqualTo(100);
  }

  @Test
  void cancel_endsTheWarmUp() throws Exception {
    CountDownLatch never = new CountDownLatch(1);
    source = keys -> {
      never.await();
      return Map.of();
    };
    Warmup w = CacheWarmer.newBuilder(node()).keys(keys("k", 10)).config(fast().build()).build().start();
    w.cancel();
    assertThat(w.await().state()).isEqualTo(WarmupState.CANCELLED);
    assertThat(w.isFinished()).isTrue();
  }

  @Test
  void recordedHotKeys_areReadFromL2_hottestFirst() throws Exception {
    TieredCache<String, String> cache = node();
    var store = remote.open(new RemoteStoreSpec("warm", "items", 1, List.of(), Duration.ofMinutes(1)));
    store.recordHotKeys(Map.of("cold", 3L, "hot", 90L, "warm", 20L), 60_000).toCompletableFuture().join();
    WarmupSource<String> hot = WarmupSource.recordedHotKeys(cache, remote, KeyCodecs.strings(), 2);
    assertThat(List.<Object>copyOf((List<?>) hot.keys())).containsExactly("hot", "warm");
    WarmupProgress end = CacheWarmer.newBuilder(cache).source(hot).config(fast().build()).build().start().await();
    assertThat(end.loaded()).isEqualTo(2);
  }

  @Test
  void aCacheWithoutALoader_isWarmedWithTheWarmersOwn_keyByKey() throws Exception {
    TieredCache<String, String> bare = TieredCache.<String, String>newBuilder("bare")
        .config(TieredCacheConfig.custom().namespace("warm").build())
        .local(InMemoryLocalTier.provider()).remote(remote).valueCodec(ValueCodecs.utf8()).build();
    opened.add(bare);
    AtomicInteger calls = new AtomicInteger();
    WarmupProgress end = CacheWarmer.newBuilder(bare).keys(List.of("a", "b", "none1"))
        .loader(k -> {
          calls.incrementAndGet();
          return k.startsWith("none") ? null : "v:" + k;
        })
        .config(fast().build()).build().start().await();
    assertThat(end.loaded()).isEqualTo(2);
    assertThat(end.absent()).isEqualTo(1);
    assertThat(calls.get()).isEqualTo(3);
    assertThat(bare.getIfPresent("a")).isEqualTo("v:a");
  }

  @Test
  void whileL2IsDown_batchesFail_andTheSourceIsNotCalledForNothing() throws Exception {
    TieredCache<String, String> cache = node();
    remote.failWith(() -> new IllegalStateException("redis down"));
    WarmupProgress end = CacheWarmer.newBuilder(cache).keys(keys("k", 200))
        .config(fast().batchSize(5).concurrency(1).build()).build().start().await();
    assertThat(cache.stats().protection().remoteBreakerState()).isEqualTo("OPEN");
    assertThat(end.state()).isEqualTo(WarmupState.DONE);
    assertThat(end.failed()).as("batches after the breaker opened").isGreaterThanOrEqualTo(150);
    assertThat(end.lastError()).contains("circuit breaker is OPEN");
    assertThat(sourceKeys.get()).as("keys loaded from the source to be cached nowhere").isZero();
  }

  @Test
  void settings_areChecked_namingThem() { // WarmupConfig's own: WarmupConfigTest
    assertThatThrownBy(() -> CacheWarmer.newBuilder(node()).build()).hasMessageContaining("no source of keys");
    assertThatThrownBy(() -> WarmupSource.recordedHotKeys(node(), remote, KeyCodecs.strings(), 0))
        .hasMessageContaining("at least 1");
  }
}
