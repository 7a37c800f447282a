package io.lamina.bus;

import io.lamina.BusConfig;
import io.lamina.CacheLoader;
import io.lamina.KeyCodecs;
import io.lamina.TieredCache;
import io.lamina.CacheWriter;
import io.lamina.TieredCacheBuilder;
import io.lamina.TieredCacheConfig;
import io.lamina.WriteStrategy;
import io.lamina.ValueCodecs;
import io.lamina.redis.RedissonRemoteTier;
import io.lamina.spi.InvalidationBus;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionFactory;
import org.redisson.api.RedissonClient;

/** How the bus integration tests build a node and wait: one place, so every test runs the same node. */
final class Nodes {

  private Nodes() {}

  /** A string cache named {@code name} on Redis L2, the given bus and bus timings. */
  static TieredCache<String, String> node(String namespace, String name, RedissonClient redis, InvalidationBus bus,
      CacheLoader<String, String> loader, Duration heartbeat, Duration detection) {
    return builder(namespace, name, redis, bus, loader, heartbeat, detection)
        .config(TieredCacheConfig.custom().namespace(namespace).remoteTimeout(Duration.ofMillis(500)).build())
        .build();
  }

  /** The same node, writing through {@code writer} with the write timeout (intent lifetime) W. */
  static TieredCache<String, String> writeThroughNode(String namespace, String name, RedissonClient redis,
      InvalidationBus bus, CacheLoader<String, String> loader, CacheWriter<String, String> writer, Duration w,
      Duration heartbeat, Duration detection) {
    return builder(namespace, name, redis, bus, loader, heartbeat, detection)
        .config(TieredCacheConfig.custom().namespace(namespace).remoteTimeout(Duration.ofMillis(500))
            .writeStrategy(WriteStrategy.WRITE_THROUGH).writeTimeout(w).build())
        .writer(writer)
        .build();
  }

  static TieredCacheBuilder<String, String> builder(String namespace, String name, RedissonClient redis,
      InvalidationBus bus, CacheLoader<String, String> loader, Duration heartbeat, Duration detection) {
    return TieredCache.<String, String>newBuilder(name)
        .remote(RedissonRemoteTier.of(redis))
        .keyCodec(KeyCodecs.strings())
        .valueCodec(ValueCodecs.utf8())
        .loader(loader)
        .bus(bus)
        .busConfig(new BusConfig(heartbeat, detection, 256, Duration.ofNanos(200_000)));
  }

  /** Polls every few milliseconds, so a measured time is the system's, not the poller's. */
  static ConditionFactory await() {
    return Awaitility.await().pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(2));
  }

  /** Waits until every node trusts its L1. */
  static void awaitTrusted(List<TieredCache<String, String>> nodes, Duration atMost) {
    await().atMost(atMost).until(() -> nodes.stream().allMatch(n -> n.coherence().trusted()));
  }

  /**
   * {@code callersPerNode} callers on each node ask for {@code key} at once (one latch releases them all); returns
   * what each got.
   */
  static List<String> stampede(ExecutorService pool, List<TieredCache<String, String>> nodes, String key,
      int callersPerNode) throws Exception {
    CountDownLatch start = new CountDownLatch(1);
    List<Future<String>> calls = new ArrayList<>();
    for (TieredCache<String, String> node : nodes) {
      for (int t = 0; t < callersPerNode; t++) {
        calls.add(pool.submit(() -> {
          start.await();
          return node.get(key);
        }));
      }
    }
    start.countDown();
    List<String> values = new ArrayList<>();
    for (Future<String> f : calls) {
      values.add(f.get(30, TimeUnit.SECONDS));
    }
    return values;
  }
}
