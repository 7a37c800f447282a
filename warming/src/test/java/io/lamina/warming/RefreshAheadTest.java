package io.lamina.warming;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lamina.KeyCodecs;
import io.lamina.TieredCache;
import io.lamina.TieredCacheConfig;
import io.lamina.ValueCodecs;
import io.lamina.testkit.ManualTicker;
import io.lamina.testkit.memory.InMemoryLocalTier;
import io.lamina.testkit.memory.InMemoryRemoteTier;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** TieredCache.refreshAhead on in-memory tiers and a hand-moved clock. */
class RefreshAheadTest {

  private final ManualTicker clock = new ManualTicker();
  private final InMemoryRemoteTier remote = new InMemoryRemoteTier(clock);
  private final AtomicInteger version = new AtomicInteger(1);
  private final TieredCache<String, String> cache = TieredCache.<String, String>newBuilder("items")
      .config(TieredCacheConfig.custom().namespace("ahead").l2Ttl(Duration.ofSeconds(10)).l2TtlJitter(0)
          .l1ExpireAfterWrite(Duration.ofSeconds(9)).l1TtlJitter(0).build())
      .local(InMemoryLocalTier.provider()).remote(remote).ticker(clock)
      .valueCodec(ValueCodecs.utf8()).keyCodec(KeyCodecs.strings())
      .loader(k -> k + '@' + version.get()).build();

  @AfterEach
  void close() {
    cache.close();
  }

  @Test
  void aValueNearItsL2Expiry_isReloaded_inBothTiers_andIsThenNoLongerDue() {
    assertThat(cache.get("k")).isEqualTo("k@1");
    version.set(2);
    assertThat(cache.refreshAhead("k", Duration.ofSeconds(2))).as("8 s left: not due").isFalse();
    clock.advance(Duration.ofSeconds(8).plusMillis(500));
    assertThat(cache.getIfPresent("k")).isEqualTo("k@1");
    assertThat(cache.refreshAhead("k", Duration.ofSeconds(2))).isTrue();
    assertThat(cache.getIfPresent("k")).as("this node's L1").isEqualTo("k@2");
    assertThat(cache.refreshAhead("k", Duration.ofSeconds(2))).as("a fresh TTL: not due").isFalse();
    assertThat(cache.stats().l2().misses()).as("only the very first read missed L2").isEqualTo(1);
  }

  @Test
  void aKeyNobodyCached_isLeftAlone() {
    assertThat(cache.refreshAhead("never-read", Duration.ofSeconds(10))).isFalse();
    assertThat(cache.stats().loads()).isZero();
  }

  @Test
  void theRefresher_needsHotKeyTracking() {
    assertThatThrownBy(() -> HotKeyRefresher.start(cache, KeyCodecs.strings(), Duration.ofSeconds(1),
        Duration.ofSeconds(2), 10)).isInstanceOf(IllegalStateException.class).hasMessageContaining("protection.hotKeys");
  }
}
