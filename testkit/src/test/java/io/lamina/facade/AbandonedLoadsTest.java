package io.lamina.facade;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lamina.CacheLoaderException;
import io.lamina.ProtectionConfig;
import io.lamina.TieredCache;
import io.lamina.TieredCacheConfig;
import io.lamina.testkit.memory.InMemoryLocalTier;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.locks.LockSupport;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/** A loader that ignores interrupts can hold only a bounded number of threads, and the number is visible. */
class AbandonedLoadsTest {

  @Test
  void loadsAbandonedStillRunning_areCapped_andFurtherLoadsRefusedAtOnce() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    Set<String> called = ConcurrentHashMap.newKeySet();
    try (TieredCache<String, String> cache = TieredCache.<String, String>newBuilder("stuck")
        .config(TieredCacheConfig.custom().loadTimeout(Duration.ofMillis(50))
            .protection(ProtectionConfig.custom().maxAbandonedLoads(2).build()).build())
        .local(InMemoryLocalTier.provider())
        .loader(k -> {
          called.add(k);
          awaitIgnoringInterrupts(release);
          return "v:" + k;
        })
        .build()) {
      // A load whose loader had not started when its timeout passed (a busy machine) is dropped, not abandoned:
      // only loaders still running count. Time out loads until two are running.
      int timedOut = 0;
      while (cache.stats().protection().abandonedLoadsRunning() < 2) {
        assertThat(timedOut).as("loads timed out before two were left running").isLessThan(50);
        String k = "k" + timedOut++;
        assertThatThrownBy(() -> cache.get(k)).isInstanceOf(CacheLoaderException.class)
            .hasMessageContaining("loadTimeout");
      }
      Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> called.size() == 2); // the two running loaders
      Set<String> running = Set.copyOf(called);
      long rejected = cache.stats().protection().loadsRejected();

      assertThatThrownBy(() -> cache.get("next")).isInstanceOf(CacheLoaderException.class)
          .hasMessageContaining("protection.maxAbandonedLoads").hasMessageContaining("2 loads abandoned");
      assertThat(called).isEqualTo(running).hasSize(2);
      assertThat(cache.stats().protection().loadsRejected()).isEqualTo(rejected + 1);

      release.countDown();
      Awaitility.await().atMost(Duration.ofSeconds(5))
          .until(() -> cache.stats().protection().abandonedLoadsRunning() == 0);
      assertThat(cache.get("next")).isEqualTo("v:next");
    }
  }

  /** Loaders that end just before, at or just after their timeout: the count of running abandoned loads stays exact. */
  @Test
  void theRunningCount_neverDrifts_whenLoadsEndAroundTheirTimeout() throws Exception {
    try (TieredCache<String, String> cache = TieredCache.<String, String>newBuilder("racy")
        .config(TieredCacheConfig.custom().loadTimeout(Duration.ofMillis(1))
            .protection(ProtectionConfig.custom().maxAbandonedLoads(10_000).build()).build())
        .local(InMemoryLocalTier.provider())
        .loader(k -> {
          long until = System.nanoTime() + ThreadLocalRandom.current().nextLong(0, 2_000_000);
          while (System.nanoTime() < until) {
            LockSupport.parkNanos(100_000); // an interrupt ends the park, not the load: it runs to its end
          }
          return "v";
        })
        .build()) {
      int timedOut = 0;
      for (int i = 0; i < 3_000; i++) {
        try {
          cache.get("k" + i);
        } catch (CacheLoaderException e) {
          timedOut++;
        }
        assertThat(cache.stats().protection().abandonedLoadsRunning()).isBetween(0L, (long) timedOut);
      }
      assertThat(timedOut).as("both outcomes were exercised").isBetween(1, 2_999);
      Awaitility.await().atMost(Duration.ofSeconds(5))
          .until(() -> cache.stats().protection().abandonedLoadsRunning() == 0);
    }
  }

  private static void awaitIgnoringInterrupts(CountDownLatch latch) {
    boolean interrupted = false;
    while (true) {
      try {
        latch.await();
        break;
      } catch (InterruptedException e) {
        interrupted = true;
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }
}
