package io.lamina.facade;

import static org.assertj.core.api.Assertions.assertThat;

import io.lamina.BusConfig;
import io.lamina.KeyCodecs;
import io.lamina.TieredCache;
import io.lamina.TieredCacheConfig;
import io.lamina.ValueCodecs;
import io.lamina.testkit.bus.InMemoryBusNetwork;
import io.lamina.testkit.memory.InMemoryLocalTier;
import io.lamina.testkit.memory.InMemoryRemoteTier;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;

/**
 * Design rule 12: a node whose delivery thread is late (every message arrives, 300 ms behind) still hears every
 * heartbeat within D and sees no gap — but it must not serve an L1 entry older than the staleness bound while it
 * cannot prove it has applied the invalidations of writes completed more than the bound ago.
 */
class DeliveryLagTest {

  private static final Duration H = Duration.ofMillis(20);
  private static final Duration D = Duration.ofSeconds(2);
  private static final Duration BOUND = Duration.ofMillis(100);
  private static final Duration LATE = Duration.ofMillis(300);

  private static ConditionFactory await() {
    return Awaitility.await().pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(1))
        .atMost(Duration.ofSeconds(5));
  }

  private final InMemoryBusNetwork network = new InMemoryBusNetwork();
  private final InMemoryRemoteTier remote = new InMemoryRemoteTier();
  private final Map<String, String> source = new ConcurrentHashMap<>();
  private final List<InMemoryBusNetwork.Connection> connections = new ArrayList<>();
  private final List<TieredCache<String, String>> nodes = new ArrayList<>();

  @BeforeEach
  void twoNodes() {
    for (int i = 0; i < 2; i++) {
      InMemoryBusNetwork.Connection c = network.connect();
      connections.add(c);
      nodes.add(TieredCache.<String, String>newBuilder("items")
          .config(TieredCacheConfig.custom().namespace("lag").build())
          .local(InMemoryLocalTier.provider())
          .remote(remote)
          .keyCodec(KeyCodecs.strings())
          .valueCodec(ValueCodecs.utf8())
          .loader(source::get)
          .bus(c)
          .busConfig(new BusConfig(H, D, 64, Duration.ofNanos(100_000), BOUND))
          .build());
    }
    await().until(() -> nodes.stream().allMatch(n -> n.coherence().trusted() && n.coherence().current()));
  }

  @AfterEach
  void close() {
    nodes.forEach(TieredCache::close);
  }

  @RepeatedTest(5)
  void aLateDeliveryThread_servesNoL1EntryStalerThanTheBound() {
    TieredCache<String, String> writer = nodes.get(0);
    TieredCache<String, String> late = nodes.get(1);
    source.put("k", "v1");
    assertThat(writer.get("k")).isEqualTo("v1");
    assertThat(late.get("k")).isEqualTo("v1");
    connections.get(1).faults().delayDelivery(LATE);
    await().until(() -> !late.coherence().current()); // by then the entry is older than the bound
    assertThat(late.coherence().trusted()).as("no gap, every heartbeat heard: only the lag gives it away").isTrue();

    source.put("k", "v2");
    writer.invalidate("k");
    long completed = System.nanoTime();
    long hitsBefore = late.stats().l1().hits();
    for (long now = System.nanoTime(); now - completed < LATE.plusMillis(100).toNanos(); now = System.nanoTime()) {
      String value = late.get("k");
      if (now - completed > BOUND.toNanos()) {
        assertThat(value).as("a read %d ms after the write completed", (now - completed) / 1_000_000)
            .isEqualTo("v2");
      }
    }
    assertThat(late.coherence().deliveryLagMicros()).isGreaterThan(BOUND.toNanos() / 1_000);
    assertThat(late.stats().l1().hits() - hitsBefore).as("young entries are still served from L1").isPositive();

    connections.get(1).faults().delayDelivery(Duration.ZERO);
    await().until(() -> late.coherence().current());
    long flushes = late.coherence().flushes();
    assertThat(late.get("k")).isEqualTo("v2");
    assertThat(late.coherence().flushes()).as("catching up costs no flush").isEqualTo(flushes);
  }

  @Test
  void aNodeThatIsNotBehind_isCurrent_andReportsItsLag() {
    await().until(() -> nodes.get(1).coherence().deliveryLagMicros() > 0 && nodes.get(1).coherence().current());
    var stats = nodes.get(1).coherence();
    assertThat(stats.deliveryLagMaxMicros()).isGreaterThanOrEqualTo(stats.deliveryLagMicros());
    assertThat(stats.deliveryLagMicros()).as("proof comes within about two heartbeats when nothing is late")
        .isLessThan(BOUND.toNanos() / 1_000 * 10);
  }
}
