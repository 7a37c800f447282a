package io.lamina.facade;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lamina.ProtectionConfig;
import io.lamina.TieredCache;
import io.lamina.TieredCacheConfig;
import io.lamina.ValueCodecs;
import io.lamina.testkit.ManualTicker;
import io.lamina.testkit.memory.InMemoryLocalTier;
import io.lamina.testkit.memory.InMemoryRemoteTier;
import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Stale-while-revalidate, stale-if-error and probabilistic early refresh, on a manual clock: a stale value is
 * served while exactly one refresh runs, a failed load falls back to it within its window, and hot entries are
 * refreshed just before they expire.
 */
class StaleServingTest {

  private static final Duration TTL = Duration.ofSeconds(1);

  private final ManualTicker clock = new ManualTicker();
  private final InMemoryRemoteTier remote = new InMemoryRemoteTier(clock);
  private final ConcurrentHashMap<String, String> source = new ConcurrentHashMap<>();
  private final AtomicInteger loads = new AtomicInteger();
  private final AtomicBoolean failing = new AtomicBoolean();
  private volatile CountDownLatch gate = new CountDownLatch(0);
  private volatile Duration loadTakes = Duration.ZERO;
  private TieredCache<String, String> cache;

  @AfterEach
  void close() {
    gate.countDown();
    if (cache != null) {
      cache.close();
    }
  }

  private TieredCache<String, String> cache(ProtectionConfig protection) {
    return cache(protection, TTL);
  }

  private TieredCache<String, String> cache(ProtectionConfig protection, Duration l2Ttl) {
    cache = TieredCache.<String, String>newBuilder("stale")
        .config(TieredCacheConfig.custom().l1ExpireAfterWrite(TTL).l1TtlJitter(0).l2Ttl(l2Ttl).l2TtlJitter(0)
            .protection(protection).build())
        .local(InMemoryLocalTier.provider())
        .remote(remote)
        .valueCodec(ValueCodecs.utf8())
        .ticker(clock)
        .loader(k -> {
          loads.incrementAndGet();
          gate.await();
          clock.advance(loadTakes);
          if (failing.get()) {
            throw new IllegalStateException("source down");
          }
          return source.get(k);
        })
        .build();
    return cache;
  }

  @Test
  void aStaleValue_isServedAtOnce_whileOneRefreshRuns() throws Exception {
    cache(ProtectionConfig.custom().staleWhileRevalidate(Duration.ofSeconds(10)).build());
    source.put("k", "v1");
    assertThat(cache.get("k")).isEqualTo("v1");
    clock.advance(TTL.plusMillis(500));
    source.put("k", "v2");
    gate = new CountDownLatch(1); // the refresh's load blocks: callers must not
    for (int i = 0; i < 100; i++) {
      assertThat(cache.get("k")).isEqualTo("v1");
    }
    assertThat(cache.stats().protection().staleServed()).isEqualTo(100);
    assertThat(cache.stats().protection().refreshes()).as("one refresh for 100 stale hits").isEqualTo(1);
    gate.countDown();
    Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> "v2".equals(cache.get("k")));
    assertThat(loads.get()).isEqualTo(2);
  }

  @Test
  void pastTheWindow_aStaleValueIsNotServed() {
    cache(ProtectionConfig.custom().staleWhileRevalidate(Duration.ofSeconds(2)).build());
    source.put("k", "v1");
    cache.get("k");
    clock.advance(TTL.plusSeconds(3));
    source.put("k", "v2");
    assertThat(cache.get("k")).isEqualTo("v2");
    assertThat(cache.stats().protection().staleServed()).isZero();
  }

  @Test
  void anInvalidatedValue_isNeverServedStale() {
    cache(ProtectionConfig.custom().staleWhileRevalidate(Duration.ofSeconds(10)).build());
    source.put("k", "v1");
    cache.get("k");
    clock.advance(TTL.plusMillis(500));
    source.put("k", "v2");
    cache.invalidate("k");
    assertThat(cache.get("k")).isEqualTo("v2");
    assertThat(cache.stats().protection().staleServed()).isZero();
  }

  @Test
  void aRefreshOvertakenByAnInvalidation_storesNothing() throws Exception {
    cache(ProtectionConfig.custom().staleWhileRevalidate(Duration.ofSeconds(10)).build());
    source.put("k", "v1");
    cache.get("k");
    clock.advance(TTL.plusMillis(500));
    gate = new CountDownLatch(1);
    assertThat(cache.get("k")).isEqualTo("v1"); // starts the refresh, which reads the source after the gate
    source.put("k", "v3");
    cache.invalidate("k"); // lands while the refresh is loading
    source.put("k", "v4");
    gate.countDown();
    Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> cache.stats().loads() >= 2);
    assertThat(cache.get("k")).as("never an older value than the invalidation").isEqualTo("v4");
  }

  @Test
  void aFailedLoad_fallsBackToTheStaleValue_withinTheWindow() {
    cache(ProtectionConfig.custom().staleIfError(Duration.ofSeconds(5)).build());
    source.put("k", "v1");
    cache.get("k");
    clock.advance(TTL.plusMillis(500));
    failing.set(true);
    assertThat(cache.get("k")).isEqualTo("v1");
    assertThat(cache.get("k")).as("put back for the next caller").isEqualTo("v1");
    assertThat(cache.stats().protection().staleServedOnError()).isEqualTo(2);
    clock.advance(Duration.ofSeconds(5));
    assertThatThrownBy(() -> cache.get("k")).hasMessage("source down");
    failing.set(false);
    source.put("k", "v2");
    assertThat(cache.get("k")).isEqualTo("v2");
  }

  @Test
  void withoutStaleIfError_aFailedLoadFails() {
    cache(ProtectionConfig.ofDefaults());
    source.put("k", "v1");
    cache.get("k");
    clock.advance(TTL.plusMillis(500));
    failing.set(true);
    assertThatThrownBy(() -> cache.get("k")).hasMessage("source down");
  }

  @Test
  void earlyRefresh_renewsAHotEntryJustBeforeItExpires_neverFarFromIt() {
    // L2 keeps values for a minute, L1 for a second: early refresh renews L1 from L2 before a caller misses.
    cache(ProtectionConfig.custom().staleWhileRevalidate(Duration.ofSeconds(10)).earlyRefreshBeta(1).build(),
        Duration.ofMinutes(1));
    source.put("k", "v1");
    loadTakes = Duration.ofMillis(10); // what the value cost: the early-refresh scale
    cache.get("k");
    loadTakes = Duration.ZERO;
    clock.advance(Duration.ofMillis(500)); // 500 ms from expiry: past 30 load-times, never refreshed
    for (int i = 0; i < 10_000; i++) {
      cache.get("k");
    }
    assertThat(cache.stats().protection().refreshes()).as("500 ms ahead").isZero();
    clock.advance(Duration.ofMillis(495)); // 5 ms from expiry, half a load-time: e^-0.5 per hit
    for (int i = 0; i < 200 && cache.stats().protection().refreshes() == 0; i++) {
      assertThat(cache.get("k")).isEqualTo("v1");
    }
    assertThat(cache.stats().protection().refreshes()).as("refreshed ahead of expiry").isEqualTo(1);
    long early = 0;
    Awaitility.await().atMost(Duration.ofSeconds(5))
        .until(() -> cache.stats().l2().hits() >= 1 + early); // renewed from L2, not from the source
    clock.advance(Duration.ofMillis(100)); // past the first copy's expiry
    assertThat(cache.get("k")).isEqualTo("v1");
    assertThat(cache.stats().protection().staleServed()).as("no caller saw it stale").isZero();
    assertThat(cache.stats().l1().misses()).as("no caller missed").isEqualTo(1);
    assertThat(loads.get()).isEqualTo(1);
  }
}
