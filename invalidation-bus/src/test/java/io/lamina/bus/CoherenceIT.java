package io.lamina.bus;

import static org.assertj.core.api.Assertions.assertThat;

import io.lamina.TieredCache;
import io.lamina.spi.InvalidationBus;
import io.lamina.testkit.server.NatsServer;
import io.lamina.testkit.server.RedisServer;
import io.nats.client.Connection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.awaitility.core.ConditionFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.redisson.api.RedissonClient;

/**
 * Three nodes, each with its own NATS (or Redis Pub/Sub) connection and its own Redisson client, on real
 * servers: writes reach every L1, and after a fault no node serves an invalidated value longer than the bound
 * (max(D, W) plus resync; here D plus a heartbeat plus slack, as no write-through is involved).
 */
class CoherenceIT {

  private static final Duration H = Duration.ofMillis(100);
  private static final Duration D = Duration.ofMillis(500);
  private static final Duration BOUND = D.plus(H).plus(Duration.ofMillis(500));

  private final List<AutoCloseable> resources = new ArrayList<>();
  private final List<TieredCache<String, String>> nodes = new ArrayList<>();
  private final Map<String, String> source = new ConcurrentHashMap<>();
  private RedisServer redis;
  private NatsServer nats;

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

  private void cluster(boolean overNats) throws Exception {
    redis = RedisServer.start("--client-output-buffer-limit", "pubsub", "0", "0", "0");
    resources.add(redis);
    if (overNats) {
      nats = NatsServer.start(false);
      resources.add(nats);
    }
    for (int i = 0; i < 3; i++) {
      RedissonClient client = RedisPubSubBusIT.client(redis);
      resources.add(client::shutdown);
      InvalidationBus bus;
      if (overNats) {
        Connection connection = NatsInvalidationBus.connect(nats.url());
        resources.add(connection::close);
        bus = NatsInvalidationBus.of(connection);
      } else {
        bus = RedisPubSubInvalidationBus.of(client);
      }
      nodes.add(Nodes.node("it", "items", client, bus, source::get, H, D));
    }
    Nodes.awaitTrusted(nodes, Duration.ofSeconds(10));
  }

  private void warm(String key, String value) {
    source.put(key, value);
    nodes.get(0).invalidate(key);
    for (TieredCache<String, String> n : nodes) {
      await().atMost(Duration.ofSeconds(10)).until(() -> value.equals(n.get(key)));
    }
  }

  /** Writes on node 0 and returns the longest time any node kept serving the old value. */
  private Duration writeAndMeasureStaleness(String key, String value, Duration atMost) {
    source.put(key, value);
    long start = System.nanoTime();
    nodes.get(0).invalidate(key);
    long worst = 0;
    for (TieredCache<String, String> n : nodes) {
      await().atMost(atMost).until(() -> value.equals(n.get(key)));
      worst = Math.max(worst, System.nanoTime() - start);
    }
    return Duration.ofNanos(worst);
  }

  private Duration timeUntil(Supplier<Boolean> condition, Duration atMost) {
    long start = System.nanoTime();
    await().atMost(atMost).until(condition::get);
    return Duration.ofNanos(System.nanoTime() - start);
  }

  @Test
  void nats_writesReachEveryNode_inMilliseconds() throws Exception {
    cluster(true);
    List<Duration> samples = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      warm("k" + i, "a" + i);
      samples.add(writeAndMeasureStaleness("k" + i, "b" + i, Duration.ofSeconds(2)));
    }
    samples.sort(null);
    var lag = nodes.get(1).coherence();
    System.out.println("nats propagation (write returns -> every node serves the new value, polled): p50 "
        + samples.get(25).toNanos() / 1000 + " us, max " + samples.get(49).toNanos() / 1000 + " us;"
        + " publish->apply lag mean " + lag.lagTotalMicros() / Math.max(1, lag.lagCount()) + " us, max "
        + lag.lagMaxMicros() + " us over " + lag.lagCount() + " messages");
    assertThat(lag.lagCount()).isGreaterThanOrEqualTo(50);
    assertThat(samples.get(25)).isLessThan(Duration.ofMillis(50));
  }

  @Test
  void nats_killedForAWhile_nodesDegradeWithinD_andConvergeAfterRestart() throws Exception {
    cluster(true);
    warm("k", "v1");
    nats.kill();
    Duration detected = timeUntil(() -> nodes.stream().noneMatch(n -> n.coherence().trusted()), BOUND);
    source.put("k", "v2");
    nodes.get(0).invalidate("k"); // reaches L2; the bus is down
    for (TieredCache<String, String> n : nodes) {
      assertThat(n.get("k")).as("a degraded node reads L2").isEqualTo("v2");
    }
    nats.restart();
    await().atMost(Duration.ofSeconds(15)).until(() -> nodes.stream().allMatch(n -> n.coherence().trusted()));
    for (TieredCache<String, String> n : nodes) {
      assertThat(n.get("k")).isEqualTo("v2");
    }
    Duration after = writeAndMeasureStaleness("k", "v3", Duration.ofSeconds(2));
    System.out.println("nats kill -9: degraded within " + detected.toMillis() + " ms; after restart, propagation "
        + after.toMillis() + " ms");
    assertThat(detected).isLessThan(BOUND);
  }

  @Test
  void nats_paused_nodesDegradeWithinD() throws Exception {
    cluster(true);
    warm("k", "v1");
    nats.pause();
    try {
      Duration detected = timeUntil(() -> nodes.stream().noneMatch(n -> n.coherence().trusted()), BOUND);
      source.put("k", "v2");
      nodes.get(1).invalidate("k");
      for (TieredCache<String, String> n : nodes) {
        assertThat(n.get("k")).isEqualTo("v2");
      }
      System.out.println("nats SIGSTOP: degraded within " + detected.toMillis() + " ms");
    } finally {
      nats.resume();
    }
    await().atMost(Duration.ofSeconds(15)).until(() -> nodes.stream().allMatch(n -> n.coherence().trusted()));
    assertThat(writeAndMeasureStaleness("k", "v3", Duration.ofSeconds(2))).isLessThan(BOUND);
  }

  @Test
  void redis_writesReachEveryNode() throws Exception {
    cluster(false);
    for (int i = 0; i < 20; i++) {
      warm("k" + i, "a" + i);
      assertThat(writeAndMeasureStaleness("k" + i, "b" + i, Duration.ofSeconds(2))).isLessThan(BOUND);
    }
  }

  @Test
  void redis_pubsubClientsKilled_isAGap_andNothingStaleSurvives() throws Exception {
    cluster(false);
    warm("k", "v1");
    redis.command("CLIENT", "KILL", "TYPE", "pubsub");
    source.put("k", "v2");
    nodes.get(0).invalidate("k");
    for (TieredCache<String, String> n : nodes) {
      await().atMost(BOUND.multipliedBy(3)).until(() -> "v2".equals(n.get("k")));
    }
    await().atMost(Duration.ofSeconds(15)).until(() -> nodes.stream()
        .mapToLong(n -> n.coherence().gaps().getOrDefault("transport", 0L)).sum() > 0);
    await().atMost(Duration.ofSeconds(15)).until(() -> nodes.stream().allMatch(n -> n.coherence().trusted()));
    assertThat(writeAndMeasureStaleness("k", "v3", Duration.ofSeconds(2))).isLessThan(BOUND);
  }

  @Test
  void redis_pubsubOutputBufferOverflow_isAGap_andNothingStaleSurvives() throws Exception {
    cluster(false);
    warm("k", "v1");
    long gapsBefore = nodes.stream().mapToLong(n -> n.coherence().gaps().getOrDefault("transport", 0L)).sum();
    redis.command("CONFIG", "SET", "client-output-buffer-limit", "pubsub 1024 1024 0");
    source.put("k", "v2");
    List<String> many = new ArrayList<>(List.of("k"));
    for (int i = 0; i < 255; i++) {
      many.add("x".repeat(1_000) + i); // any batch of 17 or more is past Redis' 16 KB static reply buffer
    }
    nodes.get(0).invalidateAll(many); // ~250 KB of batches: over the 1 KB limit, so subscribers are dropped
    for (TieredCache<String, String> n : nodes) {
      await().atMost(BOUND.multipliedBy(3)).until(() -> "v2".equals(n.get("k")));
    }
    await().atMost(Duration.ofSeconds(10)).until(() -> nodes.stream()
        .mapToLong(n -> n.coherence().gaps().getOrDefault("transport", 0L)).sum() > gapsBefore);
    redis.command("CONFIG", "SET", "client-output-buffer-limit", "pubsub 0 0 0");
    await().atMost(Duration.ofSeconds(15)).until(() -> nodes.stream().allMatch(n -> n.coherence().trusted()));
    assertThat(writeAndMeasureStaleness("k", "v3", Duration.ofSeconds(2))).isLessThan(BOUND);
  }

  @Test
  void redis_restarted_newRunId_everyNodeFlushes_andConverges() throws Exception {
    cluster(false);
    warm("k", "v1");
    String runId = redis.runId();
    long[] flushesBefore = nodes.stream().mapToLong(n -> n.coherence().flushes()).toArray();
    redis.kill();
    redis.restart();
    assertThat(redis.runId()).isNotEqualTo(runId);
    for (int i = 0; i < nodes.size(); i++) {
      TieredCache<String, String> n = nodes.get(i);
      long before = flushesBefore[i];
      await().atMost(Duration.ofSeconds(20)).until(() -> n.coherence().flushes() > before);
    }
    await().atMost(Duration.ofSeconds(20)).until(() -> nodes.stream().allMatch(n -> n.coherence().trusted()));
    source.put("k", "v2");
    for (TieredCache<String, String> n : nodes) {
      assertThat(n.getIfPresent("k")).as("the restarted Redis is empty and every L1 was flushed").isNull();
    }
    assertThat(writeAndMeasureStaleness("k", "v3", Duration.ofSeconds(2))).isLessThan(BOUND);
  }
}
