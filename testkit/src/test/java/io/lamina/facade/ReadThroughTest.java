package io.lamina.facade;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lamina.CacheLoaderException;
import io.lamina.TieredCache;
import io.lamina.TieredCacheConfig;
import io.lamina.testkit.ManualTicker;
import io.lamina.testkit.memory.InMemoryLocalTier;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Reads, loads, negative results and loader failures, on a local-only cache. */
class ReadThroughTest {

  private final ManualTicker ticker = new ManualTicker();
  private final AtomicInteger loads = new AtomicInteger();
  private final List<TieredCache<?, ?>> opened = new ArrayList<>();

  @AfterEach
  void close() {
    opened.forEach(TieredCache::close);
  }

  private TieredCache<String, String> cache(TieredCacheConfig config) {
    TieredCache<String, String> c = TieredCache.<String, String>newBuilder("reads")
        .config(config)
        .local(InMemoryLocalTier.provider())
        .ticker(ticker)
        .loader(key -> {
          loads.incrementAndGet();
          return key.startsWith("absent") ? null : "v:" + key;
        })
        .build();
    opened.add(c);
    return c;
  }

  private TieredCache<String, String> cache() {
    return cache(TieredCacheConfig.custom().l1TtlJitter(0).build());
  }

  @Test
  void get_loadsOnce_thenHitsL1() {
    TieredCache<String, String> c = cache();
    assertThat(c.get("a")).isEqualTo("v:a");
    assertThat(c.get("a")).isEqualTo("v:a");
    assertThat(loads.get()).isEqualTo(1);
    assertThat(c.stats().l1().hits()).isEqualTo(1);
    assertThat(c.stats().l1().misses()).isEqualTo(1);
    assertThat(c.stats().loads()).isEqualTo(1);
  }

  @Test
  void nullFromLoader_isCachedAsNegative_forTheNegativeTtl() {
    TieredCache<String, String> c = cache(TieredCacheConfig.custom().negativeTtl(Duration.ofSeconds(5)).build());
    assertThat(c.get("absent-1")).isNull();
    assertThat(c.get("absent-1")).isNull();
    assertThat(c.getIfPresent("absent-1")).isNull();
    assertThat(loads.get()).isEqualTo(1);
    assertThat(c.stats().negativeLoads()).isEqualTo(1);
    ticker.advance(Duration.ofSeconds(6));
    assertThat(c.get("absent-1")).isNull();
    assertThat(loads.get()).isEqualTo(2);
  }

  @Test
  void l1Entry_expiresAfterWrite_andNeverOutlivesMaxAge() {
    TieredCache<String, String> c = cache(TieredCacheConfig.custom().l1TtlJitter(0)
        .l1ExpireAfterWrite(Duration.ofMinutes(5)).l1MaxAge(Duration.ofMinutes(5)).build());
    c.get("a");
    ticker.advance(Duration.ofMinutes(4));
    c.get("a");
    assertThat(loads.get()).isEqualTo(1);
    ticker.advance(Duration.ofMinutes(2));
    c.get("a");
    assertThat(loads.get()).isEqualTo(2);
  }

  @Test
  void jitter_shortensL1Expiry_withinItsFraction() {
    TieredCache<String, String> c = cache(TieredCacheConfig.custom().l1TtlJitter(0.5)
        .l1ExpireAfterWrite(Duration.ofMinutes(10)).build());
    for (int i = 0; i < 200; i++) {
      c.get("k" + i);
    }
    ticker.advance(Duration.ofMinutes(5).minusSeconds(1));
    int before = loads.get();
    for (int i = 0; i < 200; i++) {
      c.get("k" + i);
    }
    assertThat(loads.get()).as("nothing expires before ttl * (1 - jitter)").isEqualTo(before);
    ticker.advance(Duration.ofMinutes(3));
    for (int i = 0; i < 200; i++) {
      c.get("k" + i);
    }
    int expiredMidway = loads.get() - before;
    assertThat(expiredMidway).as("jitter spreads expiry: some, not all, expired by 8 of 10 minutes")
        .isBetween(20, 180);
  }

  @Test
  void runtimeExceptionFromLoader_reachesCallerUnwrapped_andNothingIsCached() {
    AtomicInteger calls = new AtomicInteger();
    TieredCache<String, String> c = cache();
    IllegalStateException boom = new IllegalStateException("boom");
    assertThatThrownBy(() -> c.get("x", k -> {
      calls.incrementAndGet();
      throw boom;
    })).isSameAs(boom);
    assertThat(c.get("x", k -> "ok")).isEqualTo("ok");
    assertThat(c.stats().loadFailures()).isEqualTo(1);
  }

  @Test
  void checkedExceptionFromLoader_isWrapped() {
    TieredCache<String, String> c = cache();
    IOException io = new IOException("disk");
    assertThatThrownBy(() -> c.get("x", k -> {
      throw io;
    })).isInstanceOf(CacheLoaderException.class).hasCause(io).hasMessageContaining("reads");
  }

  @Test
  @Timeout(5)
  void recursiveLoadOfTheSameKey_failsFastInsteadOfDeadlocking() {
    AtomicReference<TieredCache<String, String>> self = new AtomicReference<>();
    TieredCache<String, String> c = cache();
    self.set(c);
    long start = System.nanoTime();
    assertThatThrownBy(() -> c.get("r", k -> self.get().get("r", k2 -> "inner")))
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("recursive load");
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(1));
  }

  @Test
  void concurrentGets_ofOneKey_loadOnce_andAllGetTheValue() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      for (int round = 0; round < 200; round++) {
        TieredCache<String, String> c = cache();
        AtomicInteger roundLoads = new AtomicInteger();
        CountDownLatch go = new CountDownLatch(1);
        List<Future<String>> results = new ArrayList<>();
        for (int t = 0; t < 8; t++) {
          results.add(pool.submit(() -> {
            go.await();
            return c.get("hot", k -> {
              roundLoads.incrementAndGet();
              Thread.onSpinWait();
              return "value";
            });
          }));
        }
        go.countDown();
        for (Future<String> f : results) {
          assertThat(f.get(10, TimeUnit.SECONDS)).isEqualTo("value");
        }
        assertThat(roundLoads.get()).as("round %d", round).isEqualTo(1);
      }
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void getIfPresent_neverLoads() {
    TieredCache<String, String> c = cache();
    assertThat(c.getIfPresent("a")).isNull();
    assertThat(loads.get()).isZero();
    c.get("a");
    assertThat(c.getIfPresent("a")).isEqualTo("v:a");
  }

  @Test
  void getWithoutLoader_onCacheWithoutLoader_saysHowToFixIt() {
    TieredCache<String, String> c = TieredCache.<String, String>newBuilder("noloader")
        .local(InMemoryLocalTier.provider()).build();
    opened.add(c);
    assertThatThrownBy(() -> c.get("a")).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("has no loader");
  }

  @Test
  void nullKey_isRejectedNamingTheParameter() {
    TieredCache<String, String> c = cache();
    assertThatThrownBy(() -> c.get(null)).isInstanceOf(NullPointerException.class).hasMessage("key");
    assertThatThrownBy(() -> c.getIfPresent(null)).isInstanceOf(NullPointerException.class).hasMessage("key");
    assertThatThrownBy(() -> c.put(null, "v")).isInstanceOf(NullPointerException.class).hasMessage("key");
    assertThatThrownBy(() -> c.invalidate(null)).isInstanceOf(NullPointerException.class).hasMessage("key");
    assertThatThrownBy(() -> c.getAsync(null)).isInstanceOf(NullPointerException.class).hasMessage("key");
  }

  @Test
  void hugeKey_isRejectedNamingTheLimit() {
    TieredCache<String, String> c = cache();
    String huge = "k".repeat(1024 * 1024);
    assertThatThrownBy(() -> c.get(huge)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("maxKeyBytes (16384)").hasMessageContaining("1048576");
    assertThat(loads.get()).isZero();
  }

  @Test
  void emptyKey_isAnOrdinaryKey() {
    TieredCache<String, String> c = cache();
    assertThat(c.get("")).isEqualTo("v:");
    assertThat(c.get("")).isEqualTo("v:");
    assertThat(loads.get()).isEqualTo(1);
  }

  @Test
  void asyncGet_completesWithTheLoadedValue() throws Exception {
    TieredCache<String, String> c = cache();
    assertThat(c.getAsync("a").get(5, TimeUnit.SECONDS)).isEqualTo("v:a");
    assertThat(c.getAsync("a").isDone()).as("an L1 hit completes at once").isTrue();
    assertThat(c.getIfPresentAsync("absent-2").get(5, TimeUnit.SECONDS)).isNull();
  }

  @Test
  void closedCache_refusesMisses() {
    TieredCache<String, String> c = cache();
    c.close();
    assertThatThrownBy(() -> c.get("a")).isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
  }
}
