package io.lamina.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lamina.ProtectionConfig;
import io.lamina.RemoteFailureMode;
import io.lamina.TierUnavailableException;
import io.lamina.TieredCache;
import io.lamina.TieredCacheConfig;
import io.lamina.ValueCodecs;
import io.lamina.testkit.server.RedisServer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.redisson.api.RedissonClient;

/** Redis killed or frozen mid-test: every call ends within the remote timeout, as configured. */
class RedisOutageIT {

  private static final Duration REMOTE_TIMEOUT = Duration.ofMillis(300);

  private RedisServer redis;
  private RedissonClient client;
  private final AtomicInteger loads = new AtomicInteger();

  @BeforeEach
  void start() {
    redis = RedisServer.start();
    client = RedisClients.connect(redis);
  }

  @AfterEach
  void stop() {
    client.shutdown();
    redis.close();
  }

  private TieredCache<String, String> cache(RemoteFailureMode mode) {
    return TieredCache.<String, String>newBuilder("outage")
        .config(TieredCacheConfig.custom().remoteTimeout(REMOTE_TIMEOUT).remoteFailureMode(mode).build())
        .remote(RedissonRemoteTier.of(client))
        .valueCodec(ValueCodecs.utf8())
        .loader(k -> {
          loads.incrementAndGet();
          return "v:" + k;
        })
        .build();
  }

  private static long millis(Runnable call) {
    long start = System.nanoTime();
    call.run();
    return (System.nanoTime() - start) / 1_000_000;
  }

  private static long millisUntilThrown(Runnable call, Consumer<Throwable> check) {
    long start = System.nanoTime();
    try {
      call.run();
    } catch (RuntimeException e) {
      check.accept(e);
      return (System.nanoTime() - start) / 1_000_000;
    }
    throw new AssertionError("expected a failure");
  }

  @Test
  @Timeout(30)
  void killedRedis_failMode_throwsTierUnavailable_withinTheTimeout() {
    try (TieredCache<String, String> cache = cache(RemoteFailureMode.FAIL)) {
      cache.get("warm");
      redis.kill();
      long took = millisUntilThrown(() -> cache.get("k"),
          e -> assertThat(e).isInstanceOf(TierUnavailableException.class).hasMessageContaining("cache 'outage'"));
      assertThat(took).isLessThan(REMOTE_TIMEOUT.toMillis() + 700);
      long invalidateTook = millisUntilThrown(() -> cache.invalidate("warm"),
          e -> assertThat(e).isInstanceOf(TierUnavailableException.class).hasMessageContaining("tombstone"));
      assertThat(invalidateTook).isLessThan(REMOTE_TIMEOUT.toMillis() + 700);
      assertThat(cache.stats().remoteFailures()).isGreaterThanOrEqualTo(2);
    }
  }

  @Test
  @Timeout(30)
  void pausedRedis_bypassMode_servesFromTheSource_withinTheTimeout() {
    try (TieredCache<String, String> cache = cache(RemoteFailureMode.BYPASS)) {
      redis.pause();
      try {
        long took = millis(() -> assertThat(cache.get("k")).isEqualTo("v:k"));
        assertThat(took).isLessThan(REMOTE_TIMEOUT.toMillis() + 700);
        assertThat(loads.get()).isEqualTo(1);
      } finally {
        redis.resume();
      }
    }
  }

  @Test
  @Timeout(60)
  void restartedRedis_isUsedAgain() {
    try (TieredCache<String, String> cache = cache(RemoteFailureMode.FAIL)) {
      redis.kill();
      assertThatThrownBy(() -> cache.get("k")).isInstanceOf(TierUnavailableException.class);
      redis.restart();
      Awaitility.await().atMost(Duration.ofSeconds(20)).ignoreExceptions()
          .until(() -> "v:k".equals(cache.get("k")));
      assertThat(redis.commandWithKey("EXISTS", "lamina:outage:1:k")).isEqualTo(1L);
    }
  }

  /**
   * A read that asked for a lease gave up while Redis was frozen; Redis ran it on resuming and granted the lease
   * to nobody who is waiting. The node's next read of the key must take that lease back, not wait for it to
   * expire (here 20 s: the load timeout).
   */
  @Test
  @Timeout(60)
  void aLeaseGrantedAfterTheReadGaveUp_isTheNodesOwn_andDoesNotStallItsNextRead() {
    try (TieredCache<String, String> cache = TieredCache.<String, String>newBuilder("outage")
        .config(TieredCacheConfig.custom().remoteTimeout(REMOTE_TIMEOUT).loadTimeout(Duration.ofSeconds(20))
            .remoteFailureMode(RemoteFailureMode.BYPASS)
            .protection(ProtectionConfig.custom().distributedSingleFlight(true).build()).build())
        .remote(RedissonRemoteTier.of(client)).valueCodec(ValueCodecs.utf8())
        .loader(k -> {
          loads.incrementAndGet();
          return "v:" + k;
        })
        .build()) {
      redis.pause();
      try {
        assertThat(cache.get("k")).isEqualTo("v:k"); // from the source; the read is still queued in Redis
      } finally {
        redis.resume();
      }
      Awaitility.await().atMost(Duration.ofSeconds(10))
          .until(() -> redis.commandWithKey("HGET", "lamina:outage:1:k", "l") != null);
      assertThat(cache.get("k")).isEqualTo("v:k");
      assertThat(cache.stats().protection().leaseWaits()).as("never waited for its own lease").isZero();
      assertThat(new String((byte[]) redis.commandWithKey("HGET", "lamina:outage:1:k", "s"),
          StandardCharsets.UTF_8)).as("and filled L2").isEqualTo("V");
      assertThat(loads.get()).isEqualTo(2);
    }
  }
}
