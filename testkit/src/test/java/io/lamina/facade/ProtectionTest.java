package io.lamina.facade;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.resilience4j.bulkhead.BulkheadConfig;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.lamina.CacheLoader;
import io.lamina.CacheLoaderException;
import io.lamina.ProtectionConfig;
import io.lamina.RemoteFailureMode;
import io.lamina.TierUnavailableException;
import io.lamina.TieredCache;
import io.lamina.TieredCacheConfig;
import io.lamina.ValueCodecs;
import io.lamina.testkit.ManualTicker;
import io.lamina.testkit.memory.InMemoryLocalTier;
import io.lamina.testkit.memory.InMemoryRemoteTier;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Loader safety (timeouts, recursion, failures) and the breakers and bulkhead around L2 and the loader. */
class ProtectionTest {

  private static final Duration LOAD_TIMEOUT = Duration.ofMillis(300);

  private final InMemoryRemoteTier remote = new InMemoryRemoteTier();
  private final AtomicInteger loads = new AtomicInteger();
  private final List<TieredCache<?, ?>> opened = new ArrayList<>();
  private final CountDownLatch never = new CountDownLatch(1);

  @AfterEach
  void close() {
    never.countDown();
    opened.forEach(TieredCache::close);
  }

  private TieredCache<String, String> cache(ProtectionConfig protection, CacheLoader<String, String> loader) {
    return cache(protection, loader, LOAD_TIMEOUT);
  }

  private TieredCache<String, String> cache(ProtectionConfig protection, CacheLoader<String, String> loader,
      Duration loadTimeout) {
    TieredCache<String, String> c = TieredCache.<String, String>newBuilder("p")
        .config(TieredCacheConfig.custom().loadTimeout(loadTimeout).remoteTimeout(Duration.ofMillis(100))
            .protection(protection).build())
        .local(InMemoryLocalTier.provider())
        .remote(remote)
        .valueCodec(ValueCodecs.utf8())
        .loader(k -> {
          loads.incrementAndGet();
          return loader.load(k);
        })
        .build();
    opened.add(c);
    return c;
  }

  private static CircuitBreakerConfig quickBreaker() {
    return CircuitBreakerConfig.custom().slidingWindowSize(4).minimumNumberOfCalls(4).failureRateThreshold(50)
        .waitDurationInOpenState(Duration.ofMillis(200)).permittedNumberOfCallsInHalfOpenState(1)
        .maxWaitDurationInHalfOpenState(Duration.ofMillis(500)).build();
  }

  @Test
  void aHangingLoader_timesOut_releasesItsWaiters_andIsInterrupted() throws Exception {
    AtomicBoolean interrupted = new AtomicBoolean();
    CountDownLatch entered = new CountDownLatch(1);
    TieredCache<String, String> c = cache(ProtectionConfig.ofDefaults(), k -> {
      entered.countDown();
      try {
        never.await();
      } catch (InterruptedException e) {
        interrupted.set(true);
        throw e;
      }
      return "late";
    });
    CompletableFuture<String> first = c.getAsync("k").toCompletableFuture();
    assertThat(entered.await(5, TimeUnit.SECONDS)).isTrue();
    CompletableFuture<String> waiter = c.getAsync("k").toCompletableFuture();
    long start = System.nanoTime();
    assertThatThrownBy(() -> first.get(5, TimeUnit.SECONDS)).hasCauseInstanceOf(CacheLoaderException.class)
        .hasMessageContaining("loadTimeout");
    // Released with the holder's error, or (on a busy machine, if the holder's thread is late) by its own wait.
    assertThatThrownBy(() -> waiter.get(5, TimeUnit.SECONDS)).as("the waiter is released too")
        .cause().isInstanceOfAny(CacheLoaderException.class, IllegalStateException.class)
        .hasMessageContaining("'k'");
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(LOAD_TIMEOUT.multipliedBy(3));
    Awaitility.await().atMost(Duration.ofSeconds(2)).untilTrue(interrupted);
    assertThat(c.stats().protection().loadTimeouts()).isEqualTo(1);
    assertThat(c.getIfPresent("k")).as("nothing stored").isNull();
  }

  @Test
  void aLoaderThatAsksForItsOwnKey_failsAtOnce() {
    AtomicReference<TieredCache<String, String>> self = new AtomicReference<>();
    TieredCache<String, String> c = cache(ProtectionConfig.ofDefaults(), k -> self.get().get(k));
    self.set(c);
    long start = System.nanoTime();
    assertThatThrownBy(() -> c.get("k")).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("recursive load of key 'k'");
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(LOAD_TIMEOUT);
  }

  @Test
  void aCycleThroughAnotherKey_failsAtOnce() {
    AtomicReference<TieredCache<String, String>> self = new AtomicReference<>();
    TieredCache<String, String> c = cache(ProtectionConfig.ofDefaults(),
        k -> k.equals("a") ? "a+" + self.get().get("b") : "b+" + self.get().get("a"));
    self.set(c);
    long start = System.nanoTime();
    assertThatThrownBy(() -> c.get("a")).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("recursive load of key 'a'");
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(LOAD_TIMEOUT);
  }

  @Test
  void aLoaderMayReadOtherKeysOfItsCache() {
    AtomicReference<TieredCache<String, String>> self = new AtomicReference<>();
    TieredCache<String, String> c = cache(ProtectionConfig.ofDefaults(),
        k -> k.equals("a") ? "a+" + self.get().get("b") : "b");
    self.set(c);
    assertThat(c.get("a")).isEqualTo("a+b");
  }

  @Test
  void aThrowingLoader_reachesTheCaller_andNothingIsCached() {
    AtomicBoolean fail = new AtomicBoolean(true);
    TieredCache<String, String> c = cache(ProtectionConfig.ofDefaults(), k -> {
      if (fail.get()) {
        throw new IllegalArgumentException("no such row");
      }
      return "v";
    });
    assertThatThrownBy(() -> c.get("k")).isInstanceOf(IllegalArgumentException.class).hasMessage("no such row");
    fail.set(false);
    assertThat(c.get("k")).isEqualTo("v");
    assertThat(loads.get()).isEqualTo(2);
  }

  @Test
  void aSlowKey_doesNotDelayOthers() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    TieredCache<String, String> c = cache(ProtectionConfig.ofDefaults(), k -> {
      if (k.equals("slow")) {
        release.await();
      }
      return "v:" + k;
    }, Duration.ofSeconds(30));
    CompletableFuture<String> slow = c.getAsync("slow").toCompletableFuture();
    for (int i = 0; i < 100; i++) {
      assertThat(c.get("fast" + i)).isEqualTo("v:fast" + i);
    }
    assertThat(slow).isNotDone();
    release.countDown();
    assertThat(slow.get(5, TimeUnit.SECONDS)).isEqualTo("v:slow");
  }

  @Test
  void loadOnCallerThread_keepsTheCallersThread() {
    AtomicReference<Thread> ranOn = new AtomicReference<>();
    TieredCache<String, String> c = cache(ProtectionConfig.custom().loadOnCallerThread(true).build(), k -> {
      ranOn.set(Thread.currentThread());
      return "v";
    });
    c.get("k");
    assertThat(ranOn.get()).isSameAs(Thread.currentThread());
    TieredCache<String, String> pooled = cache(ProtectionConfig.ofDefaults(), k -> {
      ranOn.set(Thread.currentThread());
      return "v";
    });
    pooled.get("k2");
    assertThat(ranOn.get()).isNotSameAs(Thread.currentThread());
  }

  @Test
  void theL2Breaker_opensAfterFailures_stopsCallingL2_servesL1_andRecovers() {
    TieredCache<String, String> c = cache(ProtectionConfig.custom().remoteBreaker(quickBreaker()).build(),
        k -> "v:" + k);
    assertThat(c.get("warm")).isEqualTo("v:warm"); // in L1 from now on
    remote.failWith(() -> new IOException("down"));
    for (int i = 0; i < 4; i++) {
      assertThat(c.get("k" + i)).isEqualTo("v:k" + i); // BYPASS: served from the source
    }
    assertThat(c.stats().protection().remoteBreakerState()).isEqualTo("OPEN");
    long callsWhenOpen = remote.calls();
    assertThat(c.get("k9")).isEqualTo("v:k9");
    assertThat(remote.calls()).as("an open breaker does not call L2").isEqualTo(callsWhenOpen);
    assertThat(c.stats().protection().remoteCallsRejected()).isPositive();
    assertThat(c.get("warm")).as("L1 still serves").isEqualTo("v:warm");
    remote.heal();
    Awaitility.await().atMost(Duration.ofSeconds(3)).pollInterval(Duration.ofMillis(20)).until(() -> {
      c.get("probe" + System.nanoTime()); // a read lets the half-open trial through
      return c.stats().protection().remoteBreakerState().equals("CLOSED");
    });
  }

  @Test
  void theHalfOpenState_neverSticks_whenTrialCallsHang() {
    TieredCache<String, String> c = cache(ProtectionConfig.custom().remoteBreaker(quickBreaker()).build(),
        k -> "v:" + k);
    remote.failWith(() -> new IOException("down"));
    for (int i = 0; i < 4; i++) {
      c.get("k" + i);
    }
    assertThat(c.stats().protection().remoteBreakerState()).isEqualTo("OPEN");
    remote.heal();
    remote.hang(); // paused: every trial call would hang, but each is bounded by the remote timeout
    Awaitility.await().atMost(Duration.ofSeconds(3)).pollInterval(Duration.ofMillis(20)).until(() -> {
      c.get("probe" + System.nanoTime());
      return c.stats().remoteFailures() >= 5; // the trial call timed out
    });
    assertThat(c.stats().protection().remoteBreakerState()).as("back to open, not stuck half-open")
        .isEqualTo("OPEN");
    remote.heal();
    Awaitility.await().atMost(Duration.ofSeconds(3)).pollInterval(Duration.ofMillis(20)).until(() -> {
      c.get("probe" + System.nanoTime());
      return c.stats().protection().remoteBreakerState().equals("CLOSED");
    });
  }

  @Test
  void whileL2IsDown_loadsPassABulkhead() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    CountDownLatch twoLoading = new CountDownLatch(2);
    TieredCache<String, String> c = cache(ProtectionConfig.custom()
        .loaderBulkhead(BulkheadConfig.custom().maxConcurrentCalls(2).maxWaitDuration(Duration.ZERO).build())
        .build(), k -> {
          twoLoading.countDown();
          release.await();
          return "v:" + k;
        });
    remote.failWith(() -> new IOException("down"));
    CompletableFuture<String> a = c.getAsync("a").toCompletableFuture();
    CompletableFuture<String> b = c.getAsync("b").toCompletableFuture();
    assertThat(twoLoading.await(5, TimeUnit.SECONDS)).isTrue();
    assertThatThrownBy(() -> c.get("c")).isInstanceOf(CacheLoaderException.class)
        .hasMessageContaining("loaderBulkhead");
    assertThat(c.stats().protection().loadsRejected()).isEqualTo(1);
    release.countDown();
    assertThat(a.get(5, TimeUnit.SECONDS)).isEqualTo("v:a");
    assertThat(b.get(5, TimeUnit.SECONDS)).isEqualTo("v:b");
    assertThat(c.get("c")).as("slots are given back").isEqualTo("v:c");
  }

  @Test
  void theLoaderBreaker_opensOnFailures_andFailsFastWithoutCallingTheSource() {
    AtomicBoolean fail = new AtomicBoolean(true);
    TieredCache<String, String> c = cache(ProtectionConfig.custom().loaderBreaker(quickBreaker()).build(), k -> {
      if (fail.get()) {
        throw new IllegalStateException("database down");
      }
      return "v:" + k;
    });
    for (int i = 0; i < 4; i++) {
      int n = i;
      assertThatThrownBy(() -> c.get("k" + n)).hasMessage("database down");
    }
    int loadsWhenOpen = loads.get();
    assertThatThrownBy(() -> c.get("x")).isInstanceOf(CacheLoaderException.class)
        .hasMessageContaining("loader circuit breaker is OPEN");
    assertThat(loads.get()).isEqualTo(loadsWhenOpen);
    fail.set(false);
    Awaitility.await().atMost(Duration.ofSeconds(3)).pollInterval(Duration.ofMillis(20)).ignoreExceptions()
        .until(() -> "v:y".equals(c.get("y")));
    assertThat(c.stats().protection().loaderBreakerState()).isEqualTo("CLOSED");
  }

  @Test
  void aBreakerWithoutAHalfOpenTimeBound_isRejected() {
    assertThatThrownBy(() -> ProtectionConfig.custom().remoteBreaker(CircuitBreakerConfig.ofDefaults()))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("protection.remoteBreaker")
        .hasMessageContaining("maxWaitDurationInHalfOpenState");
  }

  @Test
  void anOpenL2Breaker_inFailMode_failsFast() {
    TieredCache<String, String> c = TieredCache.<String, String>newBuilder("f")
        .config(TieredCacheConfig.custom().remoteFailureMode(RemoteFailureMode.FAIL)
            .remoteTimeout(Duration.ofMillis(100))
            .protection(ProtectionConfig.custom().remoteBreaker(quickBreaker()).build()).build())
        .local(InMemoryLocalTier.provider()).remote(remote).valueCodec(ValueCodecs.utf8()).loader(k -> "v")
        .build();
    opened.add(c);
    remote.failWith(() -> new IOException("down"));
    for (int i = 0; i < 4; i++) {
      int n = i;
      assertThatThrownBy(() -> c.get("k" + n)).isInstanceOf(TierUnavailableException.class);
    }
    assertThatThrownBy(() -> c.get("x")).isInstanceOf(TierUnavailableException.class)
        .hasMessageContaining("circuit breaker is OPEN");
  }

  @Test
  void aKeyMissedTooOften_isRefusedWithAnError_neverANull() {
    ManualTicker clock = new ManualTicker();
    TieredCache<String, String> c = TieredCache.<String, String>newBuilder("limited")
        .config(TieredCacheConfig.custom().protection(ProtectionConfig.custom().missRateLimit(3).build()).build())
        .local(InMemoryLocalTier.provider()).remote(remote).valueCodec(ValueCodecs.utf8()).ticker(clock)
        .loader(k -> {
          loads.incrementAndGet();
          throw new IllegalStateException("no row " + k); // not cached: every read is a miss
        })
        .build();
    opened.add(c);
    for (int i = 0; i < 3; i++) {
      assertThatThrownBy(() -> c.get("probe")).hasMessage("no row probe");
    }
    assertThatThrownBy(() -> c.get("probe")).isInstanceOf(CacheLoaderException.class)
        .hasMessageContaining("missRateLimit");
    assertThat(loads.get()).isEqualTo(3);
    assertThatThrownBy(() -> c.get("other")).as("another key has its own budget").hasMessage("no row other");
    clock.advance(Duration.ofSeconds(1));
    assertThatThrownBy(() -> c.get("probe")).as("a new second").hasMessage("no row probe");
    assertThat(c.stats().protection().loadsRejected()).isEqualTo(1);
  }
}
