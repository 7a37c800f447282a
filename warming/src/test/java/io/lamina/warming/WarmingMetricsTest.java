package io.lamina.warming;

import static org.assertj.core.api.Assertions.assertThat;

import io.lamina.KeyCodecs;
import io.lamina.TieredCache;
import io.lamina.TieredCacheConfig;
import io.lamina.ValueCodecs;
import io.lamina.testkit.memory.InMemoryLocalTier;
import io.lamina.testkit.memory.InMemoryRemoteTier;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class WarmingMetricsTest {

  @Test
  void meters_followTheWarmUp_untilItEnds() throws Exception {
    try (TieredCache<String, String> cache = TieredCache.<String, String>newBuilder("m")
        .config(TieredCacheConfig.custom().namespace("metrics").build())
        .local(InMemoryLocalTier.provider()).remote(new InMemoryRemoteTier()).valueCodec(ValueCodecs.utf8())
        .keyCodec(KeyCodecs.strings()).loader(k -> k.startsWith("x") ? null : "v:" + k).build()) {
      Warmup w = CacheWarmer.newBuilder(cache).keys(List.of("a", "b", "x1"))
          .config(WarmupConfig.custom().deadline(Duration.ofSeconds(10)).build()).build().start();
      SimpleMeterRegistry registry = new SimpleMeterRegistry();
      WarmingMetrics.bind(w, registry);
      w.await();
      assertThat(registry.get(WarmingMetrics.KEYS).tags("cache", "m", "outcome", "total").gauge().value()).isEqualTo(3);
      assertThat(registry.get(WarmingMetrics.KEYS).tags("outcome", "done").gauge().value()).isEqualTo(3);
      assertThat(registry.get(WarmingMetrics.KEYS).tags("outcome", "loaded").gauge().value()).isEqualTo(2);
      assertThat(registry.get(WarmingMetrics.KEYS).tags("outcome", "absent").gauge().value()).isEqualTo(1);
      assertThat(registry.get(WarmingMetrics.KEYS).tags("outcome", "failed").gauge().value()).isZero();
      assertThat(registry.get(WarmingMetrics.FINISHED).gauge().value()).isEqualTo(1);
      assertThat(registry.get(WarmingMetrics.TIMED_OUT).gauge().value()).isZero();
      assertThat(registry.get(WarmingMetrics.TIME_LEFT).timeGauge().value()).isZero();
      assertThat(registry.get(WarmingMetrics.RATE).gauge().value()).isPositive();
    }
  }
}
