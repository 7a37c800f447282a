package io.lamina.benchmarks;

import io.lamina.BusConfig;
import io.lamina.CoherenceStats;
import io.lamina.KeyCodecs;
import io.lamina.TieredCache;
import io.lamina.TieredCacheConfig;
import io.lamina.ValueCodecs;
import io.lamina.redis.RedissonRemoteTier;
import io.lamina.spi.InvalidationBus;
import io.nats.client.Connection;
import io.nats.client.Dispatcher;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import org.redisson.api.RLocalCachedMap;
import org.redisson.api.RTopic;
import org.redisson.api.RedissonClient;
import org.redisson.api.listener.LocalCacheInvalidateListener;
import org.redisson.api.options.LocalCachedMapOptions;
import org.redisson.client.codec.StringCodec;

/**
 * One way of telling node B that node A changed a key, measured the same way for every system: node B reports
 * the moment it stopped serving the key (or received the message), node A the moment its write returned.
 */
interface Propagation {

  /** The system's name in tables and plots. */
  String name();

  /** Whether the system is a raw transport (measured from the publish call) rather than a cache (from the return). */
  boolean raw();

  /** Makes B hold the keys, so that a write has something to invalidate. */
  void prepare(List<String> keys) throws Exception;

  /** A future completed with {@link System#nanoTime()} when B stops serving (or receives) {@code key}. */
  CompletableFuture<Long> arm(String key);

  /** Forgets an armed key that never arrived. */
  void disarm(String key);

  /** A's write of {@code key}; returns when A's call returns. */
  void write(String key) throws Exception;

  /** Waits until the system may be measured (a Lamina node trusts its L1 only once the bus is proven). */
  default void ready() throws Exception {}

  /** Lamina's cache-aside write on node A (invalidate after the source changed), seen by node B's L1. */
  final class Lamina implements Propagation {
    private final String name;
    private final TieredCache<String, String> a;
    private final TieredCache<String, String> b;
    private final ProbeLocalTier probe = new ProbeLocalTier();
    private final Map<String, String> source = new ConcurrentHashMap<>();

    Lamina(String name, String namespace, BusConfig busConfig, RedissonClient clientA, InvalidationBus busA,
        RedissonClient clientB, InvalidationBus busB) {
      this.name = name;
      this.a = node(namespace, busConfig, clientA, busA, null);
      this.b = node(namespace, busConfig, clientB, busB, probe);
    }

    private TieredCache<String, String> node(String namespace, BusConfig busConfig, RedissonClient client,
        InvalidationBus bus, @Nullable ProbeLocalTier local) {
      var builder = TieredCache.<String, String>newBuilder("inv")
          .config(TieredCacheConfig.custom().namespace(namespace).l1MaximumSize(100_000).build())
          .remote(RedissonRemoteTier.of(client))
          .keyCodec(KeyCodecs.strings())
          .valueCodec(ValueCodecs.utf8())
          .loader(k -> source.getOrDefault(k, "v0"))
          .bus(bus)
          .busConfig(busConfig);
      if (local != null) {
        builder.local(local);
      }
      return builder.build();
    }

    /** Both nodes, for closing. */
    List<TieredCache<String, String>> nodes() {
      return List.of(a, b);
    }

    @Override
    public String name() {
      return name;
    }

    @Override
    public boolean raw() {
      return false;
    }

    @Override
    public void ready() throws InterruptedException {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      while (!(a.coherence().trusted() && b.coherence().trusted())) {
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException(name + ": the bus never became trusted: " + b.coherence());
        }
        Thread.sleep(20);
      }
    }

    @Override
    public void prepare(List<String> keys) {
      for (String k : keys) {
        b.get(k);
      }
    }

    @Override
    public CompletableFuture<Long> arm(String key) {
      return probe.armed(key);
    }

    @Override
    public void disarm(String key) {
      probe.disarm(key);
    }

    @Override
    public void write(String key) {
      source.put(key, "v1");
      a.invalidate(key);
    }

    /** Node B's bus counters. */
    CoherenceStats coherence() {
      return b.coherence();
    }
  }

  /** Redisson's local cached map: {@code fastRemove} on A, B's invalidate listener. */
  final class RedissonLocalCachedMap implements Propagation {
    private final RLocalCachedMap<String, String> a;
    private final RLocalCachedMap<String, String> b;
    private final Armed armed = new Armed();

    RedissonLocalCachedMap(RedissonClient clientA, RedissonClient clientB) {
      LocalCachedMapOptions<String, String> options = LocalCachedMapOptions.<String, String>name("rlcm")
          .codec(StringCodec.INSTANCE).cacheSize(100_000)
          .syncStrategy(LocalCachedMapOptions.SyncStrategy.INVALIDATE);
      a = clientA.getLocalCachedMap(options);
      b = clientB.getLocalCachedMap(options);
      b.addListener((LocalCacheInvalidateListener<String, String>) (key, value) -> armed.arrived(key));
    }

    @Override
    public String name() {
      return "Redisson RLocalCachedMap";
    }

    @Override
    public boolean raw() {
      return false;
    }

    @Override
    public void prepare(List<String> keys) throws InterruptedException {
      Map<String, String> values = new HashMap<>();
      keys.forEach(k -> values.put(k, "v0"));
      a.putAll(values);
      Thread.sleep(50); // let A's invalidations of these keys pass B before B caches them
      // A late invalidation may still drop a key B has just cached: read again until B holds every key, so that
      // a write measured later always has something to invalidate.
      for (int pass = 0; pass < 10; pass++) {
        boolean all = true;
        for (String k : keys) {
          if (!b.getCachedMap().containsKey(k)) {
            b.get(k);
            all = false;
          }
        }
        if (all) {
          return;
        }
        Thread.sleep(20);
      }
      throw new IllegalStateException("RLocalCachedMap on node B did not keep the prepared keys");
    }

    @Override
    public CompletableFuture<Long> arm(String key) {
      return armed.arm(key);
    }

    @Override
    public void disarm(String key) {
      armed.disarm(key);
    }

    @Override
    public void write(String key) {
      a.fastRemove(key);
    }
  }

  /** A raw transport: nothing to prepare, a key is "stale" until B receives it. */
  abstract class RawTransport implements Propagation {
    final Armed armed = new Armed();

    @Override
    public boolean raw() {
      return true;
    }

    @Override
    public void prepare(List<String> keys) {}

    @Override
    public CompletableFuture<Long> arm(String key) {
      return armed.arm(key);
    }

    @Override
    public void disarm(String key) {
      armed.disarm(key);
    }
  }

  /** Raw core NATS: A publishes the key, B's dispatcher receives it. */
  final class RawNats extends RawTransport {
    private static final String SUBJECT = "bench.raw.invalidation";
    private final Connection a;

    RawNats(Connection a, Connection b) throws Exception {
      this.a = a;
      Dispatcher d = b.createDispatcher(m -> armed.arrived(new String(m.getData(), StandardCharsets.UTF_8)));
      d.subscribe(SUBJECT);
      b.flush(Duration.ofSeconds(5));
    }

    @Override
    public String name() {
      return "raw NATS publish → receive";
    }

    @Override
    public void write(String key) {
      a.publish(SUBJECT, key.getBytes(StandardCharsets.UTF_8));
    }
  }

  /** Raw Redis Pub/Sub through Redisson's {@code RTopic} (the client Lamina's Redis bus uses). */
  final class RawRedis extends RawTransport {
    private final RTopic a;

    RawRedis(RedissonClient clientA, RedissonClient clientB) {
      a = clientA.getTopic("bench:raw:invalidation", StringCodec.INSTANCE);
      RTopic b = clientB.getTopic("bench:raw:invalidation", StringCodec.INSTANCE);
      b.addListener(String.class, (channel, message) -> armed.arrived(message));
    }

    @Override
    public String name() {
      return "raw Redis Pub/Sub publish → receive";
    }

    @Override
    public void write(String key) {
      a.publish(key);
    }
  }

  /** Keys waited for, completed with the arrival time. */
  final class Armed {
    private final Map<Object, CompletableFuture<Long>> waiting = new ConcurrentHashMap<>();

    CompletableFuture<Long> arm(Object key) {
      return waiting.computeIfAbsent(key, (Function<Object, CompletableFuture<Long>>) k -> new CompletableFuture<>());
    }

    void disarm(Object key) {
      waiting.remove(key);
    }

    void arrived(Object key) {
      CompletableFuture<Long> f = waiting.remove(key);
      if (f != null) {
        f.complete(System.nanoTime());
      }
    }
  }
}
