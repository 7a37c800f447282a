package io.lamina.bus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lamina.TieredCache;
import io.lamina.testkit.server.NatsServer;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A service that starts while NATS is down: with {@code connectInBackground} it starts degraded — reads go to L2,
 * no L1 entry is served or kept — and trusts its L1 once NATS is back and it has heard the cluster; then
 * invalidations reach it as any node's.
 */
@Timeout(120)
class NatsJoinDegradedIT {

  private static final Duration H = Duration.ofMillis(100);
  private static final Duration D = Duration.ofMillis(500);

  private final Map<String, String> source = new ConcurrentHashMap<>();
  private final List<TieredCache<String, String>> nodes = new ArrayList<>();
  private final List<BackgroundNatsBus> buses = new ArrayList<>();
  private BusCluster cluster;

  @AfterEach
  void close() throws Exception {
    nodes.forEach(TieredCache::close);
    for (BackgroundNatsBus b : buses) {
      b.close();
    }
    if (cluster != null) {
      cluster.close();
    }
  }

  @Test
  void aNodeStartedWhileNatsIsDown_servesFromL2_thenJoinsWhenNatsReturns() throws Exception {
    cluster = new BusCluster(BusCluster.Transport.NATS);
    NatsServer nats = Objects.requireNonNull(cluster.nats);
    BusCluster.Wiring first = cluster.connect();
    TieredCache<String, String> one =
        Nodes.node("joining", "items", first.redis(), first.bus(), source::get, H, D);
    nodes.add(one);
    Nodes.awaitTrusted(List.of(one), Duration.ofSeconds(10));
    source.put("k", "v1");
    assertThat(one.get("k")).isEqualTo("v1");

    nats.stop();
    NatsConnectionSettings settings = NatsConnectionSettings.custom().url(nats.url()).build();
    assertThatThrownBy(() -> NatsInvalidationBus.connect(settings)).as("without it, start-up fails")
        .isInstanceOf(IOException.class);
    BackgroundNatsBus late = NatsInvalidationBus.connectInBackground(settings);
    buses.add(late);
    TieredCache<String, String> two = Nodes.node("joining", "items", cluster.inspector(), late, source::get, H, D);
    nodes.add(two);
    assertThat(late.connected()).isFalse();

    assertThat(two.coherence().trusted()).isFalse();
    assertThat(two.get("k")).as("from L2").isEqualTo("v1");
    assertThat(two.get("k")).isEqualTo("v1");
    assertThat(two.stats().l1().hits()).as("degraded: nothing served from L1").isZero();
    assertThat(two.stats().l2().hits()).isEqualTo(2);

    nats.restart();
    Nodes.awaitTrusted(nodes, Duration.ofSeconds(20));
    assertThat(late.connected()).isTrue();
    assertThat(two.get("k")).isEqualTo("v1");
    assertThat(two.get("k")).isEqualTo("v1");
    assertThat(two.stats().l1().hits()).as("trusted: L1 serves again").isPositive();

    source.put("k", "v2");
    one.invalidate("k");
    Nodes.await().atMost(Duration.ofSeconds(5)).until(() -> "v2".equals(two.get("k")));
  }
}
