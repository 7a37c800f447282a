package io.lamina.bus;

import static org.assertj.core.api.Assertions.assertThat;

import io.lamina.TieredCache;
import io.lamina.testkit.server.NatsServer;
import io.lamina.testkit.server.RedisServer;
import io.lamina.testkit.server.TcpProxy;
import io.nats.client.Connection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.awaitility.core.ConditionFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.redisson.api.RedissonClient;

/**
 * JetStream mode: a node whose NATS stream was cut replays what it missed when it reconnects, instead of
 * flushing its L1; core NATS in the same situation flushes.
 */
class JetStreamReplayIT {

  private static final Duration H = Duration.ofMillis(100);
  private static final Duration D = Duration.ofMillis(500);

  private final List<AutoCloseable> resources = new ArrayList<>();
  private final List<TieredCache<String, String>> nodes = new ArrayList<>();
  private final Map<String, String> source = new ConcurrentHashMap<>();

  private static ConditionFactory await() {
    return Nodes.await();
  }

  @AfterEach
  void close() throws Exception {
    nodes.forEach(TieredCache::close);
    for (int i = resources.size() - 1; i >= 0; i--) {
      resources.get(i).close();
    }
  }

  /** Three nodes; the last one reaches NATS through {@code proxy}. */
  private void cluster(NatsServer nats, RedisServer redis, TcpProxy proxy, boolean jetStream) throws Exception {
    for (int i = 0; i < 3; i++) {
      RedissonClient client = RedisPubSubBusIT.client(redis);
      resources.add(client::shutdown);
      String url = i == 2 ? "nats://127.0.0.1:" + proxy.port() : nats.url();
      Connection connection = NatsInvalidationBus.connect(url);
      resources.add(connection::close);
      NatsInvalidationBus bus = jetStream ? NatsInvalidationBus.withJetStream(connection, Duration.ofMinutes(5))
          : NatsInvalidationBus.of(connection);
      nodes.add(Nodes.node(jetStream ? "js" : "core", "items", client, bus, source::get, H, D));
    }
    Nodes.awaitTrusted(nodes, Duration.ofSeconds(10));
  }

  private void warm(String key, String value) {
    source.put(key, value);
    nodes.get(0).invalidate(key);
    for (TieredCache<String, String> n : nodes) {
      await().atMost(Duration.ofSeconds(5)).until(() -> value.equals(n.get(key)));
    }
  }

  /** Cuts node 2's stream, writes "a" on node 0 meanwhile, heals; returns node 2's flush count growth. */
  private long cutWriteHeal(TcpProxy proxy) {
    warm("a", "a1");
    warm("b", "b1");
    TieredCache<String, String> cutOff = nodes.get(2);
    long flushesBefore = cutOff.coherence().flushes();
    proxy.cut();
    await().atMost(Duration.ofSeconds(5)).until(() -> !cutOff.coherence().trusted());
    source.put("a", "a2");
    nodes.get(0).invalidate("a"); // node 2 cannot hear this now
    proxy.heal();
    await().atMost(Duration.ofSeconds(15)).until(() -> nodes.stream().allMatch(n -> n.coherence().trusted()));
    assertThat(cutOff.get("a")).as("the missed invalidation was replayed or flushed, never served stale")
        .isEqualTo("a2");
    return cutOff.coherence().flushes() - flushesBefore;
  }

  @Test
  void jetStream_cutNode_replaysWhatItMissed_andKeepsItsL1() throws Exception {
    try (RedisServer redis = RedisServer.start(); NatsServer nats = NatsServer.start(true);
        TcpProxy proxy = new TcpProxy(nats.port())) {
      cluster(nats, redis, proxy, true);
      long flushes = cutWriteHeal(proxy);
      TieredCache<String, String> cutOff = nodes.get(2);
      assertThat(flushes).as("replayed, not flushed").isZero();
      assertThat(cutOff.coherence().gaps()).doesNotContainKey("replay").doesNotContainKey("transport");
      long loads = cutOff.stats().loads();
      assertThat(cutOff.get("b")).isEqualTo("b1");
      assertThat(cutOff.stats().loads()).as("b needed no load").isEqualTo(loads);
    }
  }

  @Test
  void jetStream_serverKilledAndRestarted_nodesResume_andStayCoherent() throws Exception {
    try (RedisServer redis = RedisServer.start(); NatsServer nats = NatsServer.start(true);
        TcpProxy proxy = new TcpProxy(nats.port())) {
      cluster(nats, redis, proxy, true);
      warm("a", "a1");
      nats.kill();
      await().atMost(Duration.ofSeconds(5)).until(() -> nodes.stream().noneMatch(n -> n.coherence().trusted()));
      source.put("a", "a2");
      nodes.get(0).invalidate("a"); // L2 only: no server to publish to
      for (TieredCache<String, String> n : nodes) {
        assertThat(n.get("a")).as("degraded nodes read L2").isEqualTo("a2");
      }
      nats.restart();
      await().atMost(Duration.ofSeconds(20)).until(() -> nodes.stream().allMatch(n -> n.coherence().trusted()));
      source.put("a", "a3");
      nodes.get(1).invalidate("a");
      for (TieredCache<String, String> n : nodes) {
        await().atMost(Duration.ofSeconds(5)).until(() -> "a3".equals(n.get("a")));
      }
    }
  }

  @Test
  void coreNats_cutNode_flushesInstead() throws Exception {
    try (RedisServer redis = RedisServer.start(); NatsServer nats = NatsServer.start(false);
        TcpProxy proxy = new TcpProxy(nats.port())) {
      cluster(nats, redis, proxy, false);
      long flushes = cutWriteHeal(proxy);
      assertThat(flushes).isPositive();
      assertThat(nodes.get(2).coherence().gaps()).containsKey("transport");
    }
  }
}
