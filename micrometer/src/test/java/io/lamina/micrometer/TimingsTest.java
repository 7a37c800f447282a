package io.lamina.micrometer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lamina.TierUnavailableException;
import io.lamina.TieredCache;
import io.lamina.TieredCacheListener;
import io.lamina.ValueCodecs;
import io.lamina.testkit.memory.InMemoryLocalTier;
import io.lamina.testkit.memory.InMemoryRemoteTier;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.distribution.CountAtBucket;
import io.micrometer.core.instrument.distribution.HistogramSnapshot;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.lang.reflect.Method;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The L2 latency timer and the combined listener the starter and the extension install. */
class TimingsTest {

  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private final InMemoryRemoteTier remote = new InMemoryRemoteTier();

  private TieredCache<String, String> node(TieredCacheListener listener) {
    return TieredCache.<String, String>newBuilder("products").local(InMemoryLocalTier.provider()).remote(remote)
        .valueCodec(ValueCodecs.utf8()).loader(k -> "v").listener(listener).build();
  }

  @Test
  void l2Latency_timesEveryRemoteCall_perOperationAndResult_withAHistogram() {
    TieredCacheListener l2 = TieredCacheMetrics.l2Latency(registry, Tags.of("app", "shop"));
    try (TieredCache<String, String> a = node(l2); TieredCache<String, String> b = node(l2)) {
      a.get("k"); // L2 read (a miss), load, fill
      a.get("k"); // L1: no L2 call
      b.get("k"); // L2 read (a hit)
      a.invalidate("k"); // tombstone
      remote.failWith(() -> new IOException("down"));
      assertThatThrownBy(() -> a.invalidate("k")).isInstanceOf(TierUnavailableException.class);
      remote.heal();

      assertThat(l2Timer("read", "success").count()).isEqualTo(2);
      assertThat(l2Timer("fill", "success").count()).isEqualTo(1);
      assertThat(l2Timer("tombstone", "success").count()).isGreaterThanOrEqualTo(1);
      assertThat(l2Timer("tombstone", "failure").count()).isGreaterThanOrEqualTo(1);
      assertThat(registry.find(TieredCacheMetrics.L2_LATENCY).tag("result", "success").timers())
          .allSatisfy(t -> assertThat(t.getId().getTag("app")).isEqualTo("shop"));

      assertThat(l2Timer("read", "success").totalTime(TimeUnit.NANOSECONDS)).isPositive();
    }
  }

  @Test
  void l2Latency_asPrometheusExportsIt_isAHistogramFrom100MicrosecondsTo5Seconds_perOperation() {
    PrometheusMeterRegistry prometheus = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    try (TieredCache<String, String> a = node(TieredCacheMetrics.l2Latency(prometheus, Tags.empty()))) {
      a.get("k");
      HistogramSnapshot read = prometheus.get(TieredCacheMetrics.L2_LATENCY).tag("operation", "read").timer()
          .takeSnapshot();
      CountAtBucket[] buckets = read.histogramCounts();
      assertThat(buckets).as("a percentile histogram").hasSizeGreaterThan(10);
      assertThat(buckets[0].bucket(TimeUnit.NANOSECONDS)).isBetween(100_000.0, 200_000.0);
      assertThat(buckets[buckets.length - 1].bucket(TimeUnit.SECONDS)).isEqualTo(5.0);
      assertThat(buckets[buckets.length - 1].count()).as("the call is below the largest bound").isEqualTo(1);
      String scrape = prometheus.scrape();
      assertThat(scrape).contains(
          "lamina_l2_latency_seconds_bucket{cache=\"products\",operation=\"read\",result=\"success\",le=",
          "lamina_l2_latency_seconds_bucket{cache=\"products\",operation=\"fill\",result=\"success\",le=",
          "lamina_l2_latency_seconds_count{cache=\"products\",operation=\"read\",result=\"success\"} 1");
    }
  }

  @Test
  void timings_recordLoadsAndL2Calls_andPassEveryEventOnToTheApplicationsListener() {
    List<String> heard = new CopyOnWriteArrayList<>();
    TieredCacheListener own = new TieredCacheListener() {
      @Override
      public void onLoadSuccess(String cacheName, long durationNanos) {
        heard.add("load " + cacheName);
      }

      @Override
      public void onRemoteCall(String cacheName, String operation, long durationNanos, boolean success) {
        heard.add(operation);
      }
    };
    try (TieredCache<String, String> a = node(TieredCacheMetrics.timings(registry, Tags.empty(), own))) {
      a.get("k");
    }
    assertThat(heard).contains("load products", "read", "fill");
    assertThat(registry.get(TieredCacheMetrics.LOAD_TIMER).tags("cache", "products", "result", "success").timer()
        .count()).isEqualTo(1);
    assertThat(l2Timer("read", "success").count()).isEqualTo(1);
  }

  @Test
  void timings_overrideEveryListenerMethod_soNoEventOfTheApplicationIsLost() throws NoSuchMethodException {
    for (Method m : TieredCacheListener.class.getMethods()) {
      if (m.isDefault()) {
        assertThat(Timings.class.getDeclaredMethod(m.getName(), m.getParameterTypes()))
            .as("Timings passes %s on", m.getName()).isNotNull();
      }
    }
  }

  private Timer l2Timer(String operation, String result) {
    return registry.get(TieredCacheMetrics.L2_LATENCY)
        .tags("cache", "products", "operation", operation, "result", result).timer();
  }
}
