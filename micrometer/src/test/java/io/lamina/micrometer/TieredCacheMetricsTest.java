package io.lamina.micrometer;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.lamina.BusConfig;
import io.lamina.KeyCodecs;
import io.lamina.ProtectionConfig;
import io.lamina.TierUnavailableException;
import io.lamina.TieredCache;
import io.lamina.TieredCacheConfig;
import io.lamina.ValueCodecs;
import io.lamina.testkit.bus.InMemoryBusNetwork;
import io.lamina.testkit.memory.InMemoryLocalTier;
import io.lamina.testkit.memory.InMemoryRemoteTier;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.assertj.core.api.Assertions;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class TieredCacheMetricsTest {

  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private final TieredCache<String, String> cache = TieredCache.<String, String>newBuilder("products")
      .local(InMemoryLocalTier.provider())
      .loader(k -> k.startsWith("none") ? null : "v")
      .build();

  @AfterEach
  void close() {
    cache.close();
  }

  @Test
  void standardCacheMeters_perTier_countWhatTheCacheDid() {
    new TieredCacheMetrics(cache, Tags.of("app", "shop")).bindTo(registry);
    cache.get("a");
    cache.get("a");
    cache.get("none-1");
    cache.invalidate("a");

    assertThat(count("cache.gets", "tier", "l1", "result", "hit")).isEqualTo(1);
    assertThat(count("cache.gets", "tier", "l1", "result", "miss")).isEqualTo(2);
    assertThat(count("cache.puts", "tier", "l1")).isEqualTo(2);
    assertThat(count("lamina.invalidations", "tier", "l1")).isEqualTo(1);
    assertThat(count("cache.gets", "tier", "l2", "result", "hit")).isZero();
    assertThat(registry.get("cache.size").tags("tier", "l1", "cache", "products", "app", "shop").gauge().value())
        .isEqualTo(1);
  }

  @Test
  void laminaMeters_countLoadsByResult_andTimeThem() {
    TieredCacheMetrics.monitor(registry, cache);
    cache.get("a");
    cache.get("none-1");
    try {
      cache.get("boom", k -> {
        throw new IllegalStateException("x");
      });
    } catch (IllegalStateException expected) {
      // counted as a failure
    }
    assertThat(count("lamina.loads", "result", "success")).isEqualTo(1);
    assertThat(count("lamina.loads", "result", "negative")).isEqualTo(1);
    assertThat(count("lamina.loads", "result", "failure")).isEqualTo(1);
    assertThat(registry.get("lamina.load.duration").functionTimer().count()).isEqualTo(3);
    assertThat(registry.get("lamina.load.duration").functionTimer().totalTime(TimeUnit.NANOSECONDS)).isPositive();
    assertThat(registry.get("lamina.write.behind.pending").gauge().value()).isZero();
  }

  @Test
  void busMeters_arePresent_andReadTheCoherenceStats() {
    TieredCacheMetrics.monitor(registry, cache);
    assertThat(registry.get("lamina.bus.degraded").gauge().value()).as("no bus: never degraded").isZero();
    assertThat(busCount("lamina.bus.gaps", "reason", "sequence")).isZero();
    assertThat(busCount("lamina.bus.invalidations.sent")).isZero();
    assertThat(registry.find("lamina.bus.gaps").functionCounters()).hasSize(8); // one per gap reason, failover included
  }

  @Test
  void busMeters_countWhatTheBusDid() {
    InMemoryBusNetwork network = new InMemoryBusNetwork();
    InMemoryRemoteTier remote = new InMemoryRemoteTier();
    Supplier<TieredCache<String, String>> node = () -> TieredCache.<String, String>newBuilder("products")
        .local(InMemoryLocalTier.provider()).remote(remote).valueCodec(ValueCodecs.utf8())
        .keyCodec(KeyCodecs.strings()).loader(k -> "v").bus(network.connect())
        .busConfig(new BusConfig(Duration.ofMillis(100), Duration.ofSeconds(2), 512,
            Duration.ofMillis(50))) // a long batching delay: the ids below are sent together
        .build();
    try (TieredCache<String, String> a = node.get(); TieredCache<String, String> b = node.get()) {
      SimpleMeterRegistry registryB = new SimpleMeterRegistry();
      TieredCacheMetrics.monitor(registry, a);
      TieredCacheMetrics.monitor(registryB, b);
      Awaitility.await().until(() -> a.coherence().trusted() && b.coherence().trusted());
      assertThat(registry.get("lamina.bus.degraded").gauge().value()).isZero();
      a.invalidate("k");
      Awaitility.await().until(
          () -> registryB.get("lamina.bus.invalidations.received").functionCounter().count() >= 1);
      assertThat(busCount("lamina.bus.invalidations.sent")).isEqualTo(1);
      assertThat(busCount("lamina.bus.messages.sent")).isGreaterThanOrEqualTo(2); // a batch and heartbeats
      assertThat(registryB.get("lamina.bus.lag").functionTimer().count()).isEqualTo(1);
      assertThat(busCount("lamina.bus.batches.sent")).isEqualTo(1);
      a.invalidateAll(List.of("x", "y", "z"));
      Awaitility.await().until(() -> busCount("lamina.bus.invalidations.sent") == 4);
      // The first may leave alone (nothing was sent for a while); the others wait the 50 ms for company.
      assertThat(busCount("lamina.bus.batches.sent")).isBetween(2.0, 3.0);
      assertThat(registry.get("lamina.bus.batch.size.max").tag("namespace", "lamina").gauge().value())
          .isGreaterThanOrEqualTo(2);
      Awaitility.await().until(() -> b.coherence().current());
      assertThat(registryB.get("lamina.bus.behind").gauge().value()).isZero();
      assertThat(registryB.get("lamina.bus.delivery.lag").gauge().value()).isGreaterThan(0).isLessThan(5);

      remote.failWith(() -> new IOException("down"));
      Assertions.assertThatThrownBy(() -> a.invalidate("r"))
          .isInstanceOf(TierUnavailableException.class);
      assertThat(count("lamina.l2.repairs.failed")).isEqualTo(1);
      assertThat(registry.get("lamina.l2.repairs.pending").gauge().value()).isEqualTo(1);
      remote.heal();
      Awaitility.await().atMost(Duration.ofSeconds(10))
          .until(() -> count("lamina.l2.repairs.landed") == 1);
      assertThat(registry.get("lamina.l2.repairs.pending").gauge().value()).isZero();
      assertThat(count("lamina.l2.repairs.overflows")).isZero();
      assertThat(count("lamina.l2.reads.refused")).isZero();
    }
  }

  @Test
  void protectionMeters_countTheDecisions_andShowTheBreakerState() {
    InMemoryRemoteTier remote = new InMemoryRemoteTier();
    CircuitBreakerConfig breaker =
        CircuitBreakerConfig.custom().slidingWindowSize(2)
            .minimumNumberOfCalls(2).waitDurationInOpenState(Duration.ofMinutes(1))
            .maxWaitDurationInHalfOpenState(Duration.ofMinutes(1)).build();
    try (TieredCache<String, String> c = TieredCache.<String, String>newBuilder("products")
        .config(TieredCacheConfig.custom()
            .protection(ProtectionConfig.custom().remoteBreaker(breaker).build()).build())
        .local(InMemoryLocalTier.provider()).remote(remote).valueCodec(ValueCodecs.utf8())
        .loader(k -> "v").build()) {
      TieredCacheMetrics.monitor(registry, c);
      assertThat(registry.get("lamina.protection.breaker.state").tags("cache", "products", "breaker", "remote")
          .gauge().value()).isZero();
      remote.failWith(() -> new IOException("down"));
      c.get("a");
      c.get("b");
      c.get("c"); // the breaker is open: not attempted
      assertThat(registry.get("lamina.protection.breaker.state").tags("cache", "products", "breaker", "remote")
          .gauge().value()).isEqualTo(2);
      assertThat(count("lamina.protection.rejected", "what", "remote")).isEqualTo(1);
      assertThat(count("lamina.protection.rejected", "what", "load")).isZero();
      assertThat(registry.find("lamina.protection.lease.waits").functionCounters()).hasSize(3);
    }
  }

  @Test
  void tierFreeGets_countAnL2ServedReadOnceAsAHit_notAsAnL1MissPlusAnL2Hit() {
    InMemoryRemoteTier remote = new InMemoryRemoteTier();
    Supplier<TieredCache<String, String>> node = () -> TieredCache.<String, String>newBuilder(
            "products").local(InMemoryLocalTier.provider()).remote(remote).valueCodec(ValueCodecs.utf8())
        .loader(k -> "v").build();
    try (TieredCache<String, String> a = node.get(); TieredCache<String, String> b = node.get()) {
      a.get("k"); // loaded: a miss
      TieredCacheMetrics.monitor(registry, b);
      b.get("k"); // from L2: a hit
      b.get("k"); // from L1: a hit
      assertThat(count("lamina.gets", "result", "hit")).isEqualTo(2);
      assertThat(count("lamina.gets", "result", "miss")).isZero();
      assertThat(count("cache.gets", "tier", "l1", "result", "miss")).as("what a sum over tiers adds up")
          .isEqualTo(1);
    }
  }

  @Test
  void busMeters_areRegisteredOncePerNamespace_notUnderEveryCache() {
    try (TieredCache<String, String> other = TieredCache.<String, String>newBuilder("prices")
        .local(InMemoryLocalTier.provider()).loader(k -> "p").build()) {
      TieredCacheMetrics.monitor(registry, cache);
      TieredCacheMetrics.monitor(registry, other);
      assertThat(registry.find("lamina.bus.invalidations.sent").functionCounters()).hasSize(1);
      assertThat(registry.find("lamina.bus.degraded").gauges()).hasSize(1);
      assertThat(registry.get("lamina.bus.degraded").tag("namespace", cache.config().namespace()).gauge())
          .isNotNull();
      assertThat(registry.find("lamina.loads").tag("result", "success").functionCounters())
          .as("cache meters stay per cache").hasSize(2);
    }
  }

  @Test
  void replayGaps_areExported() {
    TieredCacheMetrics.monitor(registry, cache);
    assertThat(registry.get("lamina.bus.gaps").tag("reason", "replay").functionCounter().count()).isZero();
  }

  @Test
  void loadTimings_recordEachLoad_inATimerWithAPercentileHistogram() {
    PrometheusMeterRegistry prometheus =
        new PrometheusMeterRegistry(
            PrometheusConfig.DEFAULT);
    try (TieredCache<String, String> timed = TieredCache.<String, String>newBuilder("timed")
        .local(InMemoryLocalTier.provider()).loader(k -> k.startsWith("none") ? null : "v")
        .listener(TieredCacheMetrics.loadTimings(prometheus, Tags.of("app", "shop"))).build()) {
      timed.get("a");
      timed.get("none-1");
      try {
        timed.get("boom", k -> {
          throw new IllegalStateException("x");
        });
      } catch (IllegalStateException expected) {
        // timed as a failure
      }
      Timer ok = prometheus.get("cache.load.duration")
          .tags("cache", "timed", "app", "shop", "result", "success").timer();
      assertThat(ok.count()).isEqualTo(2);
      assertThat(prometheus.get("cache.load.duration").tags("cache", "timed", "result", "failure").timer().count())
          .isEqualTo(1);
      assertThat(prometheus.scrape()).as("buckets for histogram_quantile")
          .contains("cache_load_duration_seconds_bucket{app=\"shop\",cache=\"timed\",result=\"success\",le=");
    }
  }

  private double busCount(String name, String... tags) {
    return registry.get(name).tags(tags).tag("namespace", cache.config().namespace()).functionCounter().count();
  }

  private double count(String name, String... tags) {
    return registry.get(name).tags(tags).tag("cache", "products").functionCounter().count();
  }
}
