package io.lamina.micrometer;

import static org.assertj.core.api.Assertions.assertThat;

import io.lamina.TieredCache;
import io.lamina.testkit.memory.InMemoryLocalTier;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.concurrent.TimeUnit;
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
    assertThat(count("lamina.bus.gaps", "reason", "sequence")).isZero();
    assertThat(count("lamina.bus.invalidations.sent")).isZero();
    assertThat(registry.find("lamina.bus.gaps").functionCounters()).hasSize(7);
  }

  @Test
  void busMeters_countWhatTheBusDid() {
    io.lamina.testkit.bus.InMemoryBusNetwork network = new io.lamina.testkit.bus.InMemoryBusNetwork();
    io.lamina.testkit.memory.InMemoryRemoteTier remote = new io.lamina.testkit.memory.InMemoryRemoteTier();
    java.util.function.Supplier<TieredCache<String, String>> node = () -> TieredCache.<String, String>newBuilder("products")
        .local(InMemoryLocalTier.provider()).remote(remote).valueCodec(io.lamina.ValueCodecs.utf8())
        .keyCodec(io.lamina.KeyCodecs.strings()).loader(k -> "v").bus(network.connect())
        .busConfig(new io.lamina.BusConfig(java.time.Duration.ofMillis(100), java.time.Duration.ofSeconds(2), 512,
            java.time.Duration.ofMillis(50))) // a long batching delay: the ids below are sent together
        .build();
    try (TieredCache<String, String> a = node.get(); TieredCache<String, String> b = node.get()) {
      SimpleMeterRegistry registryB = new SimpleMeterRegistry();
      TieredCacheMetrics.monitor(registry, a);
      TieredCacheMetrics.monitor(registryB, b);
      org.awaitility.Awaitility.await().until(() -> a.coherence().trusted() && b.coherence().trusted());
      assertThat(registry.get("lamina.bus.degraded").gauge().value()).isZero();
      a.invalidate("k");
      org.awaitility.Awaitility.await().until(
          () -> registryB.get("lamina.bus.invalidations.received").functionCounter().count() >= 1);
      assertThat(count("lamina.bus.invalidations.sent")).isEqualTo(1);
      assertThat(count("lamina.bus.messages.sent")).isGreaterThanOrEqualTo(2); // a batch and heartbeats
      assertThat(registryB.get("lamina.bus.lag").functionTimer().count()).isEqualTo(1);
      assertThat(count("lamina.bus.batches.sent")).isEqualTo(1);
      a.invalidateAll(java.util.List.of("x", "y", "z"));
      org.awaitility.Awaitility.await().until(() -> count("lamina.bus.invalidations.sent") == 4);
      // The first may leave alone (nothing was sent for a while); the others wait the 50 ms for company.
      assertThat(count("lamina.bus.batches.sent")).isBetween(2.0, 3.0);
      assertThat(registry.get("lamina.bus.batch.size.max").tag("cache", "products").gauge().value())
          .isGreaterThanOrEqualTo(2);
      org.awaitility.Awaitility.await().until(() -> b.coherence().current());
      assertThat(registryB.get("lamina.bus.behind").gauge().value()).isZero();
      assertThat(registryB.get("lamina.bus.delivery.lag").gauge().value()).isGreaterThan(0).isLessThan(5);

      remote.failWith(() -> new java.io.IOException("down"));
      org.assertj.core.api.Assertions.assertThatThrownBy(() -> a.invalidate("r"))
          .isInstanceOf(io.lamina.TierUnavailableException.class);
      assertThat(count("lamina.l2.repairs.failed")).isEqualTo(1);
      assertThat(registry.get("lamina.l2.repairs.pending").gauge().value()).isEqualTo(1);
      remote.heal();
      org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(10))
          .until(() -> count("lamina.l2.repairs.landed") == 1);
      assertThat(registry.get("lamina.l2.repairs.pending").gauge().value()).isZero();
      assertThat(count("lamina.l2.repairs.overflows")).isZero();
      assertThat(count("lamina.l2.reads.refused")).isZero();
    }
  }

  @Test
  void protectionMeters_countTheDecisions_andShowTheBreakerState() {
    io.lamina.testkit.memory.InMemoryRemoteTier remote = new io.lamina.testkit.memory.InMemoryRemoteTier();
    io.github.resilience4j.circuitbreaker.CircuitBreakerConfig breaker =
        io.github.resilience4j.circuitbreaker.CircuitBreakerConfig.custom().slidingWindowSize(2)
            .minimumNumberOfCalls(2).waitDurationInOpenState(java.time.Duration.ofMinutes(1))
            .maxWaitDurationInHalfOpenState(java.time.Duration.ofMinutes(1)).build();
    try (TieredCache<String, String> c = TieredCache.<String, String>newBuilder("products")
        .config(io.lamina.TieredCacheConfig.custom()
            .protection(io.lamina.ProtectionConfig.custom().remoteBreaker(breaker).build()).build())
        .local(InMemoryLocalTier.provider()).remote(remote).valueCodec(io.lamina.ValueCodecs.utf8())
        .loader(k -> "v").build()) {
      TieredCacheMetrics.monitor(registry, c);
      assertThat(registry.get("lamina.protection.breaker.state").tags("cache", "products", "breaker", "remote")
          .gauge().value()).isZero();
      remote.failWith(() -> new java.io.IOException("down"));
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

  private double count(String name, String... tags) {
    return registry.get(name).tags(tags).tag("cache", "products").functionCounter().count();
  }
}
