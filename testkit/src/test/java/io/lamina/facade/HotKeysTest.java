package io.lamina.facade;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lamina.HotKey;
import io.lamina.ProtectionConfig;
import io.lamina.TieredCache;
import io.lamina.TieredCacheConfig;
import io.lamina.ValueCodecs;
import io.lamina.spi.RemoteStoreSpec;
import io.lamina.testkit.ManualTicker;
import io.lamina.testkit.memory.InMemoryLocalTier;
import io.lamina.testkit.memory.InMemoryRemoteTier;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/** Hot keys: found by the per-node sketch, reported by the cache, and recorded in L2 for warming. */
class HotKeysTest {

  private final InMemoryRemoteTier remote = new InMemoryRemoteTier();

  private TieredCache<String, String> cache(int hotKeys) {
    return TieredCache.<String, String>newBuilder("hk")
        .config(TieredCacheConfig.custom().namespace("hk")
            .protection(ProtectionConfig.custom().hotKeys(hotKeys).hotKeyWindow(Duration.ofSeconds(2)).build())
            .build())
        .local(InMemoryLocalTier.provider()).remote(remote).valueCodec(ValueCodecs.utf8()).loader(k -> "v:" + k)
        .build();
  }

  @Test
  void aKeyReadFarMoreThanOthers_isReported_andRecordedInL2() {
    try (TieredCache<String, String> c = cache(5)) {
      for (int i = 0; i < 20_000; i++) {
        c.get("hot");
        c.get("cold" + i % 5_000);
        if (i % 4 == 0) {
          c.get("warm");
        }
      }
      List<HotKey> top = c.hotKeys();
      assertThat(top).isNotEmpty();
      assertThat(top.get(0).id()).isEqualTo("hot");
      assertThat(top).extracting(HotKey::id).contains("warm").doesNotContain("cold1");
      var store = remote.open(new RemoteStoreSpec("hk", "hk", 1, List.of(), Duration.ofMinutes(1)));
      Awaitility.await().atMost(Duration.ofSeconds(5)).untilAsserted(() ->
          assertThat(store.hotKeys(10).toCompletableFuture().join()).startsWith("hot"));
    }
  }

  @Test
  void withoutTracking_nothingIsReported() {
    try (TieredCache<String, String> c = cache(0)) {
      for (int i = 0; i < 10_000; i++) {
        c.get("hot");
      }
      assertThat(c.hotKeys()).isEmpty();
    }
  }

  @Test
  void badSettings_areRejected_namingThem() {
    assertThatThrownBy(() -> ProtectionConfig.custom().hotKeys(5000)).hasMessageContaining("protection.hotKeys");
    assertThatThrownBy(() -> ProtectionConfig.custom().hotKeyWindow(Duration.ofMillis(10)))
        .hasMessageContaining("protection.hotKeyWindow");
  }

  @Test
  void aHotKey_livesTwiceAsLongInL1() {
    ManualTicker clock = new ManualTicker();
    AtomicInteger loads = new AtomicInteger();
    try (TieredCache<String, String> c = TieredCache.<String, String>newBuilder("hk2")
        .config(TieredCacheConfig.custom().namespace("hk").l1ExpireAfterWrite(Duration.ofSeconds(10)).l1TtlJitter(0)
            .protection(ProtectionConfig.custom().hotKeys(5).hotKeyWindow(Duration.ofSeconds(60)).build()).build())
        .local(InMemoryLocalTier.provider()).valueCodec(ValueCodecs.utf8()).ticker(clock)
        .loader(k -> {
          loads.incrementAndGet();
          return "v:" + k;
        })
        .build()) {
      for (int i = 0; i < 20_000; i++) {
        c.get("hot");
        c.get("cold" + i % 5_000);
      }
      clock.advance(Duration.ofSeconds(1));
      assertThat(c.hotKeys()).extracting(HotKey::id).containsExactly("hot"); // published: isHot sees it now
      c.invalidate("hot");
      c.invalidate("cold1");
      clock.advance(Duration.ofMillis(1)); // loads that start after an invalidation may store
      c.get("hot"); // stored for 2 x 10 s
      c.get("cold1"); // stored for 10 s
      int before = loads.get();
      clock.advance(Duration.ofSeconds(15));
      c.get("hot");
      assertThat(loads.get()).as("the hot key is still in L1").isEqualTo(before);
      c.get("cold1");
      assertThat(loads.get()).as("the cold key expired").isEqualTo(before + 1);
    }
  }
}
