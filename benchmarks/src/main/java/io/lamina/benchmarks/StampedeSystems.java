package io.lamina.benchmarks;

import static io.lamina.benchmarks.StampedeSuite.CAFFEINE;
import static io.lamina.benchmarks.StampedeSuite.HOT_TTL;
import static io.lamina.benchmarks.StampedeSuite.LAMINA;
import static io.lamina.benchmarks.StampedeSuite.LAMINA_CLUSTER;
import static io.lamina.benchmarks.StampedeSuite.NODES;
import static io.lamina.benchmarks.StampedeSuite.REDIS;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.lamina.BusConfig;
import io.lamina.KeyCodecs;
import io.lamina.ProtectionConfig;
import io.lamina.ProtectionStats;
import io.lamina.TieredCache;
import io.lamina.TieredCacheConfig;
import io.lamina.ValueCodecs;
import io.lamina.bus.NatsInvalidationBus;
import io.lamina.redis.RedissonRemoteTier;
import io.lettuce.core.SetArgs;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.codec.StringCodec;
import java.util.ArrayList;
import java.util.List;

/**
 * The systems the stampede suite compares, each on {@link StampedeSuite#NODES} nodes in this JVM: Lamina with
 * single-flight per node and with distributed single-flight, a Redis cache-aside and a Caffeine cache per node.
 */
final class StampedeSystems {

  private StampedeSystems() {}

  /** A system under test: {@code get} on one of its nodes. */
  interface Candidate extends AutoCloseable {
    String name();

    String get(int node, String key) throws Exception;

    /** Lease waits summed over the nodes (Lamina only; zeros elsewhere). */
    default LeaseWaits leaseWaits() {
      return new LeaseWaits(0, 0, 0);
    }

    @Override
    void close();
  }

  /**
   * {@link ProtectionStats} of distributed single-flight, summed over the nodes.
   *
   * @param waits reads that waited for another node's load
   * @param wakeUps of those, the waits ended by the holder's wake-up message
   * @param expired of those, the waits that ran out (the caller then loaded itself)
   */
  record LeaseWaits(long waits, long wakeUps, long expired) {}

  static List<Candidate> systems(Servers servers, SlowSource source, boolean hot, int run) throws Exception {
    List<Candidate> systems = new ArrayList<>();
    String cache = (hot ? "hot" : "cold") + run;
    systems.add(lamina(servers, source, hot, cache, false));
    systems.add(lamina(servers, source, hot, cache + "-cluster", true));
    List<RedisCommands<String, String>> redis = new ArrayList<>();
    for (int i = 0; i < NODES; i++) {
      redis.add(servers.lettuceClient().connect(StringCodec.UTF8).sync());
    }
    systems.add(new Candidate() {
      @Override
      public String name() {
        return REDIS;
      }

      @Override
      public String get(int node, String key) {
        RedisCommands<String, String> r = redis.get(node);
        String v = r.get(cache + ":" + key);
        if (v == null) {
          v = source.load(key);
          r.set(cache + ":" + key, v, SetArgs.Builder.px(HOT_TTL.toMillis()));
        }
        return v;
      }

      @Override
      public void close() {}
    });
    List<Cache<String, String>> caffeine = new ArrayList<>();
    for (int i = 0; i < NODES; i++) {
      caffeine.add(Caffeine.newBuilder().expireAfterWrite(HOT_TTL).maximumSize(10_000).build());
    }
    systems.add(new Candidate() {
      @Override
      public String name() {
        return CAFFEINE;
      }

      @Override
      public String get(int node, String key) {
        return caffeine.get(node).get(key, source::load);
      }

      @Override
      public void close() {}
    });
    return systems;
  }

  /**
   * Lamina on {@link #NODES} nodes, each with its own Redisson client and NATS connection; with
   * {@code distributed}, one load per key runs across the cluster (the L2 lease) instead of one per node.
   */
  private static Candidate lamina(Servers servers, SlowSource source, boolean hot, String cache,
      boolean distributed) throws Exception {
    List<TieredCache<String, String>> nodes = new ArrayList<>();
    for (int i = 0; i < NODES; i++) {
      TieredCacheConfig.Builder config = TieredCacheConfig.custom().namespace("stampede")
          .protection(ProtectionConfig.custom().distributedSingleFlight(distributed).build());
      if (hot) {
        config.l1ExpireAfterWrite(HOT_TTL.dividedBy(2)).l2Ttl(HOT_TTL);
      }
      nodes.add(TieredCache.<String, String>newBuilder(cache)
          .config(config.build())
          .remote(RedissonRemoteTier.of(servers.redisson()))
          .bus(NatsInvalidationBus.of(servers.nats()))
          .busConfig(BusConfig.ofDefaults())
          .keyCodec(KeyCodecs.strings())
          .valueCodec(ValueCodecs.utf8())
          .loader(source::load)
          .build());
    }
    InvalidationSuite.awaitTrusted(nodes);
    return new Candidate() {
      @Override
      public String name() {
        return distributed ? LAMINA_CLUSTER : LAMINA;
      }

      @Override
      public String get(int node, String key) {
        return String.valueOf(nodes.get(node).get(key));
      }

      @Override
      public LeaseWaits leaseWaits() {
        long waits = 0;
        long wakeUps = 0;
        long expired = 0;
        for (TieredCache<String, String> n : nodes) {
          ProtectionStats p = n.stats().protection();
          waits += p.leaseWaits();
          wakeUps += p.wakeUps();
          expired += p.leaseWaitsExpired();
        }
        return new LeaseWaits(waits, wakeUps, expired);
      }

      @Override
      public void close() {
        nodes.forEach(TieredCache::close);
      }
    };
  }

}
