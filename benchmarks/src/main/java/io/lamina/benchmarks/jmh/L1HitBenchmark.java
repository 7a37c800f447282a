package io.lamina.benchmarks.jmh;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import io.lamina.BusConfig;
import io.lamina.CacheLoader;
import io.lamina.KeyCodecs;
import io.lamina.TieredCache;
import io.lamina.TieredCacheConfig;
import io.lamina.ValueCodecs;
import io.lamina.bus.NatsInvalidationBus;
import io.lamina.redis.RedissonRemoteTier;
import io.lamina.testkit.server.NatsServer;
import io.lamina.testkit.server.RedisServer;
import io.nats.client.Connection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.redisson.Redisson;
import org.redisson.api.RedissonClient;
import org.redisson.config.Config;

/**
 * An L1 hit: 100k entries, all present, read by a Zipf(0.99) or uniform key sequence. {@code caffeine} is raw
 * Caffeine configured as an application would for an L1 (size bound and expiry after write); {@code lamina} is
 * {@link TieredCache} with only a local tier; {@code lamina-tiered} is a cache as deployed, with Redis L2 and the
 * NATS bus (real servers, started by the fork), whose hit path also checks that the bus is trusted.
 *
 * <p>JMH runs {@link #tearDown} (closing the cache: Caffeine's {@code invalidateAll} of every entry, about 9 MB)
 * inside the last measured iteration, and {@code -prof gc} counts it there: read B/op from the other iterations,
 * as the suite does ({@code Jmh.bytesPerOp}). What remains is allocated off the calling thread, by Caffeine's
 * maintenance on its executor, for raw Caffeine as for Lamina.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@State(Scope.Benchmark)
@SuppressWarnings("NullAway.Init") // JMH fills the fields in @Setup
public class L1HitBenchmark {

  static final Function<Long, String> CAFFEINE_LOADER = k -> "value-" + k;
  static final CacheLoader<Long, String> LAMINA_LOADER = k -> "value-" + k;

  @Param({"caffeine", "caffeine-variable", "lamina", "lamina-tiered"})
  public String impl;

  @Param({"zipf", "uniform"})
  public String distribution;

  /** Entries in the cache, all present (the smoke test uses fewer). */
  @Param("100000")
  public int entries;

  Long[] sequence;
  Reader reader;
  private final List<AutoCloseable> resources = new ArrayList<>();

  /** The operations under test, bound to one implementation per fork (so the call site stays monomorphic). */
  interface Reader {
    @Nullable Object getIfPresent(Long key);

    @Nullable Object get(Long key);
  }

  /** A thread's position in the key sequence, starting at a random offset. */
  @State(Scope.Thread)
  public static class Cursor {
    int index = ThreadLocalRandom.current().nextInt(Keys.SEQUENCE);
  }

  @Setup(Level.Trial)
  public void setUp() throws Exception {
    Long[] universe = Keys.universe(entries);
    sequence = Keys.sequence(universe, distribution, 42);
    reader = switch (impl) {
      case "caffeine" -> caffeine(universe, entries);
      case "caffeine-variable" -> caffeineVariable(universe, entries);
      case "lamina" -> lamina(universe, null);
      case "lamina-tiered" -> tiered(universe);
      default -> throw new IllegalArgumentException(impl);
    };
  }

  private static Reader caffeine(Long[] universe, int entries) {
    Cache<Long, String> cache = Caffeine.newBuilder().maximumSize(2L * entries)
        .expireAfterWrite(Duration.ofMinutes(5)).build();
    for (Long k : universe) {
      cache.put(k, CAFFEINE_LOADER.apply(k));
    }
    return new Reader() {
      @Override
      public @Nullable Object getIfPresent(Long key) {
        return cache.getIfPresent(key);
      }

      @Override
      public Object get(Long key) {
        return cache.get(key, CAFFEINE_LOADER);
      }
    };
  }

  /** A value with its own deadline, as Lamina's L1 holds it. */
  record Timed(String value, long deadlineNanos) {}

  static final Function<Long, Timed> TIMED_LOADER =
      k -> new Timed("value-" + k, System.nanoTime() + TimeUnit.MINUTES.toNanos(5));

  /** Raw Caffeine configured like Lamina's L1: variable expiry, each entry expiring at its own deadline. */
  private static Reader caffeineVariable(Long[] universe, int entries) {
    Cache<Long, Timed> cache = Caffeine.newBuilder().maximumSize(2L * entries)
        .expireAfter(new Expiry<Long, Timed>() {
          @Override
          public long expireAfterCreate(Long key, Timed value, long currentTime) {
            return Math.max(0, value.deadlineNanos() - currentTime);
          }

          @Override
          public long expireAfterUpdate(Long key, Timed value, long currentTime, long currentDuration) {
            return Math.max(0, value.deadlineNanos() - currentTime);
          }

          @Override
          public long expireAfterRead(Long key, Timed value, long currentTime, long currentDuration) {
            return currentDuration;
          }
        }).build();
    for (Long k : universe) {
      cache.put(k, TIMED_LOADER.apply(k));
    }
    return new Reader() {
      @Override
      public @Nullable Object getIfPresent(Long key) {
        Timed t = cache.getIfPresent(key);
        return t == null ? null : t.value();
      }

      @Override
      public Object get(Long key) {
        return cache.get(key, TIMED_LOADER).value();
      }
    };
  }

  private Reader lamina(Long[] universe, @Nullable TieredCache<Long, String> given) {
    TieredCache<Long, String> cache = given != null ? given : TieredCache.<Long, String>newBuilder("l1")
        .config(TieredCacheConfig.custom().l1MaximumSize(2L * entries).build())
        .build();
    resources.add(cache);
    if (given == null) {
      for (Long k : universe) {
        cache.get(k, LAMINA_LOADER);
      }
    }
    long hitsBefore = cache.stats().l1().hits();
    cache.getIfPresent(universe[0]);
    if (cache.stats().l1().hits() != hitsBefore + 1) {
      throw new IllegalStateException(impl + ": a read of a loaded key was not an L1 hit: " + cache.stats());
    }
    return new Reader() {
      @Override
      public @Nullable Object getIfPresent(Long key) {
        return cache.getIfPresent(key);
      }

      @Override
      public @Nullable Object get(Long key) {
        return cache.get(key, LAMINA_LOADER);
      }
    };
  }

  private Reader tiered(Long[] universe) throws Exception {
    RedisServer redis = RedisServer.start();
    resources.add(redis);
    NatsServer nats = NatsServer.start(false);
    resources.add(nats);
    Config config = new Config();
    config.useSingleServer().setAddress(redis.url());
    RedissonClient client = Redisson.create(config);
    resources.add(client::shutdown);
    Connection connection = NatsInvalidationBus.connect(nats.url());
    resources.add(connection);
    TieredCache<Long, String> cache = TieredCache.<Long, String>newBuilder("l1")
        .config(TieredCacheConfig.custom().l1MaximumSize(2L * entries).remoteTimeout(Duration.ofSeconds(5))
            .build())
        .remote(RedissonRemoteTier.of(client))
        .bus(NatsInvalidationBus.of(connection))
        .busConfig(BusConfig.ofDefaults())
        .keyCodec(KeyCodecs.longs())
        .valueCodec(ValueCodecs.utf8())
        .bulkLoader(keys -> {
          Map<Long, String> m = new LinkedHashMap<>();
          keys.forEach(k -> m.put(k, "value-" + k));
          return m;
        })
        .build();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (!cache.coherence().trusted()) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("the bus never became trusted: " + cache.coherence());
      }
      Thread.sleep(20);
    }
    // Load every key; a chunk whose remote calls timed out on a busy machine is loaded but not stored, so
    // passes repeat until L1 holds every key.
    for (int pass = 0; pass < 5 && cache.stats().l1().size() < entries; pass++) {
      List<Long> chunk = new ArrayList<>();
      for (Long k : universe) {
        chunk.add(k);
        if (chunk.size() == 1000) {
          cache.getAll(chunk);
          chunk.clear();
        }
      }
      if (!chunk.isEmpty()) {
        cache.getAll(chunk);
      }
    }
    return lamina(universe, cache);
  }

  @TearDown(Level.Trial)
  public void tearDown() throws Exception {
    for (int i = resources.size() - 1; i >= 0; i--) {
      resources.get(i).close();
    }
  }

  @Benchmark
  public @Nullable Object getIfPresent(Cursor c) {
    return reader.getIfPresent(sequence[c.index++ & (Keys.SEQUENCE - 1)]);
  }

  @Benchmark
  public @Nullable Object get(Cursor c) {
    return reader.get(sequence[c.index++ & (Keys.SEQUENCE - 1)]);
  }
}
