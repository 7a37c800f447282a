package io.lamina.facade;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lamina.BusConfig;
import io.lamina.CacheLoaderException;
import io.lamina.KeyCodecs;
import io.lamina.ProtectionConfig;
import io.lamina.TieredCache;
import io.lamina.TieredCacheConfig;
import io.lamina.ValueCodecs;
import io.lamina.spi.RemoteEntry;
import io.lamina.spi.RemoteStore;
import io.lamina.spi.RemoteStoreSpec;
import io.lamina.testkit.bus.InMemoryBusNetwork;
import io.lamina.testkit.memory.InMemoryLocalTier;
import io.lamina.testkit.memory.InMemoryRemoteTier;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * One load per key across nodes sharing L2 (in-memory tiers and bus): waiters on other nodes are woken by the
 * holder's message, fall back as configured when its load fails, and outlast a holder that died with its lease.
 */
class DistributedSingleFlightTest {

  private static final Duration LOAD_TIMEOUT = Duration.ofMillis(800);

  private final InMemoryRemoteTier remote = new InMemoryRemoteTier();
  private final InMemoryBusNetwork network = new InMemoryBusNetwork();
  private final AtomicInteger sourceCalls = new AtomicInteger();
  private final AtomicBoolean failing = new AtomicBoolean();
  private final List<TieredCache<String, String>> nodes = new ArrayList<>();
  private final ExecutorService pool = Executors.newCachedThreadPool();

  @AfterEach
  void close() {
    pool.shutdownNow();
    nodes.forEach(TieredCache::close);
  }

  /** When positive, a load first waits (up to 5 s) until this many callers are waiting for it. */
  private volatile int waitForWaiters;

  private String load(String key) throws InterruptedException {
    sourceCalls.incrementAndGet();
    if (waitForWaiters > 0) {
      Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> nodes.stream()
          .mapToLong(n -> n.stats().coalescedLoads() + n.stats().protection().leaseWaits()).sum() >= waitForWaiters);
    }
    Thread.sleep(50); // a 50 ms query: long enough for every caller to arrive while it runs
    if (failing.get()) {
      throw new IllegalStateException("source failed");
    }
    return "v:" + key;
  }

  private void cluster(int n, boolean distributed, boolean withBus, ProtectionConfig.WaitFallback fallback) {
    for (int i = 0; i < n; i++) {
      var builder = TieredCache.<String, String>newBuilder("sf")
          .config(TieredCacheConfig.custom().namespace("sf").loadTimeout(LOAD_TIMEOUT)
              .protection(ProtectionConfig.custom().distributedSingleFlight(distributed).waitFallback(fallback)
                  .build()).build())
          .local(InMemoryLocalTier.provider()).remote(remote).keyCodec(KeyCodecs.strings())
          .valueCodec(ValueCodecs.utf8()).loader(this::load);
      if (withBus) {
        builder.bus(network.connect())
            .busConfig(new BusConfig(Duration.ofMillis(50), Duration.ofMillis(500), 64, Duration.ofNanos(100_000)));
      }
      nodes.add(builder.build());
    }
    if (withBus) {
      Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> nodes.stream().allMatch(c -> c.coherence().trusted()));
    }
  }

  /** {@code threads} callers on every node ask for {@code key} at once; returns what each got. */
  private List<Object> stampede(String key, int threads) throws Exception {
    CountDownLatch start = new CountDownLatch(1);
    List<Future<Object>> calls = new ArrayList<>();
    for (TieredCache<String, String> node : nodes) {
      for (int t = 0; t < threads; t++) {
        calls.add(pool.submit(() -> {
          start.await();
          try {
            return node.get(key);
          } catch (RuntimeException e) {
            return e;
          }
        }));
      }
    }
    start.countDown();
    List<Object> results = new ArrayList<>();
    for (Future<Object> f : calls) {
      results.add(f.get(10, TimeUnit.SECONDS));
    }
    return results;
  }

  @Test
  void aColdKey_isLoadedOnceAcrossTheCluster_andEveryCallerGetsIt() throws Exception {
    cluster(3, true, true, ProtectionConfig.WaitFallback.LOAD);
    for (int round = 0; round < 20; round++) {
      sourceCalls.set(0);
      List<Object> results = stampede("cold" + round, 64);
      assertThat(results).as("round %d", round).hasSize(192).allMatch(("v:cold" + round)::equals);
      assertThat(sourceCalls.get()).as("round %d: source calls", round).isEqualTo(1);
    }
    long waits = nodes.stream().mapToLong(n -> n.stats().protection().leaseWaits()).sum();
    long wakeUps = nodes.stream().mapToLong(n -> n.stats().protection().wakeUps()).sum();
    assertThat(waits).isPositive();
    assertThat(wakeUps).as("waiters are woken by the holder's message").isPositive();
  }

  @Test
  void withoutDistributedSingleFlight_eachNodeLoadsAtMostOnce() throws Exception {
    cluster(3, false, true, ProtectionConfig.WaitFallback.LOAD);
    List<Object> results = stampede("cold", 64);
    assertThat(results).allMatch("v:cold"::equals);
    assertThat(sourceCalls.get()).isBetween(1, 3);
  }

  @Test
  void withoutABus_waitersReReadL2_andTheKeyIsStillLoadedOnce() throws Exception {
    cluster(3, true, false, ProtectionConfig.WaitFallback.LOAD);
    for (int round = 0; round < 5; round++) {
      sourceCalls.set(0);
      assertThat(stampede("cold" + round, 16)).allMatch(("v:cold" + round)::equals);
      assertThat(sourceCalls.get()).isEqualTo(1);
    }
  }

  @Test
  void theHoldersFailure_wakesWaiters_whoFailFast_withFallbackFail() throws Exception {
    cluster(3, true, true, ProtectionConfig.WaitFallback.FAIL);
    failing.set(true);
    // Every other caller waits (on its node's load or on the lease) before the load fails: on a busy machine a
    // caller that only arrived after the failure would rightly take the lease and call the source again.
    waitForWaiters = 3 * 8 - 1;
    long start = System.nanoTime();
    List<Object> results = stampede("k", 8);
    Duration took = Duration.ofNanos(System.nanoTime() - start);
    assertThat(sourceCalls.get()).isEqualTo(1);
    assertThat(results).allMatch(r -> r instanceof RuntimeException);
    assertThat(results).anyMatch(r -> r instanceof CacheLoaderException e
        && e.getMessage().contains("ended without a value"));
    assertThat(took).as("woken, not waiting out the lease").isLessThan(LOAD_TIMEOUT);
  }

  @Test
  void theHoldersFailure_letsWaitersLoadThemselves_withFallbackLoad() throws Exception {
    cluster(2, true, true, ProtectionConfig.WaitFallback.LOAD);
    failing.set(true);
    CountDownLatch holderLoading = new CountDownLatch(1);
    // Node 0 takes the lease and fails; node 1 waits, is woken, then loads itself (the source is back).
    Future<Object> holder = pool.submit(() -> {
      try {
        return nodes.get(0).get("k", key -> {
          holderLoading.countDown();
          Thread.sleep(100);
          throw new IllegalStateException("source failed");
        });
      } catch (RuntimeException e) {
        return e;
      }
    });
    assertThat(holderLoading.await(5, TimeUnit.SECONDS)).isTrue();
    failing.set(false);
    assertThat(nodes.get(1).get("k")).isEqualTo("v:k");
    assertThat(holder.get(5, TimeUnit.SECONDS)).isInstanceOf(IllegalStateException.class);
    assertThat(nodes.get(1).stats().protection().leaseWaits()).isEqualTo(1);
  }

  @Test
  void aHolderThatDiedWithItsLease_isOutlasted_withinOneLeasePlusATimeout() {
    cluster(1, true, true, ProtectionConfig.WaitFallback.LOAD);
    // A node that took the lease and died: nobody will fill the key or wake anyone.
    RemoteStore ghost = remote.open(new RemoteStoreSpec("sf", "sf", 1, List.of(), Duration.ofMinutes(1)));
    RemoteEntry taken = ghost.read("k", "ghost-token", LOAD_TIMEOUT.toMillis()).toCompletableFuture().join();
    assertThat(taken.lease()).isEqualTo(RemoteEntry.Lease.GRANTED);
    long start = System.nanoTime();
    assertThat(nodes.get(0).get("k")).isEqualTo("v:k");
    Duration waited = Duration.ofNanos(System.nanoTime() - start);
    assertThat(waited).isGreaterThan(LOAD_TIMEOUT.minusMillis(100)) // it did wait for the lease
        .isLessThan(LOAD_TIMEOUT.plus(Duration.ofSeconds(1)).plusMillis(500)); // lease + remote timeout + load
    assertThat(sourceCalls.get()).isEqualTo(1);
    assertThat(nodes.get(0).getIfPresent("k")).as("it took the lease and stored the value").isEqualTo("v:k");
  }

  @Test
  void bulkReads_loadEachKeyOnceAcrossTheCluster() throws Exception {
    ConcurrentHashMap<String, AtomicInteger> perKey = new ConcurrentHashMap<>();
    for (int i = 0; i < 3; i++) {
      nodes.add(TieredCache.<String, String>newBuilder("bulk")
          .config(TieredCacheConfig.custom().namespace("sf").loadTimeout(LOAD_TIMEOUT)
              .protection(ProtectionConfig.custom().distributedSingleFlight(true).build()).build())
          .local(InMemoryLocalTier.provider()).remote(remote).keyCodec(KeyCodecs.strings())
          .valueCodec(ValueCodecs.utf8())
          .bulkLoader(keys -> {
            Map<String, String> out = new HashMap<>();
            for (String k : keys) {
              perKey.computeIfAbsent(k, x -> new AtomicInteger()).incrementAndGet();
              out.put(k, "v:" + k);
            }
            Thread.sleep(50);
            return out;
          })
          .bus(network.connect())
          .busConfig(new BusConfig(Duration.ofMillis(50), Duration.ofMillis(500), 64, Duration.ofNanos(100_000)))
          .build());
    }
    Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> nodes.stream().allMatch(c -> c.coherence().trusted()));
    List<String> keys = new ArrayList<>();
    for (int k = 0; k < 20; k++) {
      keys.add("k" + k);
    }
    CountDownLatch start = new CountDownLatch(1);
    List<Future<Map<String, String>>> calls = new ArrayList<>();
    for (TieredCache<String, String> node : nodes) {
      for (int t = 0; t < 4; t++) {
        List<String> shuffled = new ArrayList<>(keys);
        Collections.shuffle(shuffled);
        calls.add(pool.submit(() -> {
          start.await();
          return node.getAll(shuffled);
        }));
      }
    }
    start.countDown();
    for (Future<Map<String, String>> f : calls) {
      assertThat(f.get(10, TimeUnit.SECONDS)).hasSize(20).allSatisfy((k, v) -> assertThat(v).isEqualTo("v:" + k));
    }
    assertThat(perKey).hasSize(20);
    assertThat(perKey.values()).as("each key loaded once across 3 nodes").allMatch(c -> c.get() == 1);
  }
}
