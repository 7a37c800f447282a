package io.lamina.benchmarks.simulate;

import io.lamina.BusConfig;
import io.lamina.CoherenceStats;
import io.lamina.KeyCodecs;
import io.lamina.TieredCache;
import io.lamina.TieredCacheBuilder;
import io.lamina.TieredCacheConfig;
import io.lamina.TieredCacheStats;
import io.lamina.benchmarks.Codecs;
import io.lamina.benchmarks.Product;
import io.lamina.benchmarks.Servers;
import io.lamina.bus.NatsInvalidationBus;
import io.lamina.bus.RedisPubSubInvalidationBus;
import io.lamina.redis.RedissonRemoteTier;
import io.lamina.spi.InvalidationBus;
import io.lamina.spi.RemoteStore;
import io.lamina.spi.RemoteStoreSpec;
import io.lamina.spi.RemoteTier;
import io.lamina.spi.Roster;
import io.lamina.spi.ValueCodec;
import io.lettuce.core.SetArgs;
import io.lettuce.core.api.sync.RedisCommands;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.redisson.api.RLocalCachedMap;
import org.redisson.api.RedissonClient;
import org.redisson.api.options.LocalCachedMapOptions;
import org.redisson.client.codec.ByteArrayCodec;
import org.redisson.client.codec.StringCodec;
import org.redisson.codec.CompositeCodec;

/**
 * The systems the simulator compares, each with {@link #NODES} nodes on their own connections.
 *
 * <p>Past 300 lines because each system's set-up is here side by side (no cache, Redis only, Redisson's
 * RLocalCachedMap, Lamina's variants), so a reader can check they are built and driven alike.
 */
final class Systems {

  static final int NODES = 3;
  static final Duration L2_TTL = Duration.ofMinutes(5);

  private Systems() {}

  /** No cache: every read is a source call. */
  static SimSystem noCache(SourceOfTruth source) {
    return new SimSystem() {
      @Override
      public String name() {
        return "no cache";
      }

      @Override
      public Read read(int node, long key) {
        return new Read(source.read(key), Tier.SOURCE);
      }

      @Override
      public void invalidate(int node, long key) {}

      @Override
      public void put(int node, Product value) {}
    };
  }

  /** Redis only: cache-aside with GET, SET on a miss, DEL on a write (Lettuce, one connection per node). */
  static SimSystem redisOnly(Servers servers, SourceOfTruth source) {
    ValueCodec<Product> codec = Codecs.fory();
    List<RedisCommands<byte[], byte[]>> nodes = new ArrayList<>();
    for (int i = 0; i < NODES; i++) {
      nodes.add(servers.lettuce().sync());
    }
    return new SimSystem() {
      @Override
      public String name() {
        return "Redis only";
      }

      @Override
      public Read read(int node, long key) {
        byte[] k = ("sim:" + key).getBytes(StandardCharsets.UTF_8);
        byte[] b = nodes.get(node).get(k);
        if (b != null) {
          return new Read(codec.decode(b, 0, b.length), Tier.L2);
        }
        Product p = source.read(key);
        nodes.get(node).set(k, codec.encode(p), SetArgs.Builder.px(L2_TTL.toMillis()));
        return new Read(p, Tier.SOURCE);
      }

      @Override
      public void invalidate(int node, long key) {
        nodes.get(node).del(("sim:" + key).getBytes(StandardCharsets.UTF_8));
      }

      @Override
      public void put(int node, Product value) {
        nodes.get(node).set(("sim:" + value.id()).getBytes(StandardCharsets.UTF_8), codec.encode(value),
            SetArgs.Builder.px(L2_TTL.toMillis()));
      }
    };
  }

  /** Redisson's local cached map: get, fastPut on a miss, fastRemove on a write. */
  static SimSystem redissonLocalCachedMap(Servers servers, SourceOfTruth source) {
    ValueCodec<Product> codec = Codecs.fory();
    List<RLocalCachedMap<String, byte[]>> nodes = new ArrayList<>();
    for (int i = 0; i < NODES; i++) {
      LocalCachedMapOptions<String, byte[]> options = LocalCachedMapOptions.<String, byte[]>name("sim-rlcm")
          .codec(new CompositeCodec(StringCodec.INSTANCE, ByteArrayCodec.INSTANCE))
          .cacheSize((int) TieredCacheConfig.DEFAULT_L1_MAXIMUM_SIZE)
          .timeToLive(TieredCacheConfig.DEFAULT_L1_EXPIRE_AFTER_WRITE)
          .syncStrategy(LocalCachedMapOptions.SyncStrategy.INVALIDATE);
      nodes.add(servers.redisson().getLocalCachedMap(options));
    }
    return new SimSystem() {
      @Override
      public String name() {
        return "RLocalCachedMap";
      }

      @Override
      public Read read(int node, long key) {
        RLocalCachedMap<String, byte[]> map = nodes.get(node);
        String k = Long.toString(key);
        boolean local = map.getCachedMap().containsKey(k); // approximate: the entry may go in between
        byte[] b = map.get(k);
        if (b != null) {
          return new Read(codec.decode(b, 0, b.length), local ? Tier.L1 : Tier.L2);
        }
        Product p = source.read(key);
        map.fastPut(k, codec.encode(p));
        return new Read(p, Tier.SOURCE);
      }

      @Override
      public void invalidate(int node, long key) {
        nodes.get(node).fastRemove(Long.toString(key));
      }

      @Override
      public void put(int node, Product value) {
        nodes.get(node).fastPut(Long.toString(value.id()), codec.encode(value));
      }
    };
  }

  /** Lamina's invalidation bus. */
  enum Bus {
    NATS("NATS bus"), JETSTREAM("NATS JetStream bus"), REDIS("Redis bus");

    final String label;

    Bus(String label) {
      this.label = label;
    }
  }

  /**
   * How a Lamina system is set up.
   *
   * @param bus the invalidation bus
   * @param busConfig heartbeats, detection time and staleness bound
   * @param versioned whether the cache knows the source's version ({@code versionOf}), as {@code put} writes need
   * @param remoteTimeout how long an L2 call may take
   * @param variant what sets this system apart from Lamina's usual set-up, in its name (or empty)
   */
  record LaminaSetup(Bus bus, BusConfig busConfig, boolean versioned, Duration remoteTimeout, String variant) {

    LaminaSetup(Bus bus, BusConfig busConfig, boolean versioned, Duration remoteTimeout) {
      this(bus, busConfig, versioned, remoteTimeout, "");
    }

    /** The defaults over {@code bus}, cache-aside. */
    static LaminaSetup of(Bus bus) {
      return new LaminaSetup(bus, BusConfig.ofDefaults(), false, TieredCacheConfig.DEFAULT_REMOTE_TIMEOUT);
    }
  }

  /** Lamina with Redis L2 and the given bus on each node, with the defaults. */
  static SimSystem lamina(Servers servers, SourceOfTruth source, boolean nats) throws Exception {
    return lamina(servers, source, LaminaSetup.of(nats ? Bus.NATS : Bus.REDIS));
  }

  /** Lamina with Redis L2 and {@code setup}'s bus on each node. */
  @SuppressWarnings("ReferenceEquality") // the very instance the loader returned, not an equal one
  static SimSystem lamina(Servers servers, SourceOfTruth source, LaminaSetup setup) throws Exception {
    List<TieredCache<Long, Product>> nodes = new ArrayList<>();
    // The loader may run on another thread than the caller's: a read knows it was a source call when it got the
    // very instance the last load of its key produced.
    Map<Long, Product> loaded = new ConcurrentHashMap<>();
    for (int i = 0; i < NODES; i++) {
      RedissonClient client = servers.redisson();
      InvalidationBus bus = switch (setup.bus()) {
        case NATS -> NatsInvalidationBus.of(servers.nats());
        case JETSTREAM -> NatsInvalidationBus.withJetStream(servers.nats(), Duration.ofMinutes(1));
        case REDIS -> RedisPubSubInvalidationBus.of(client);
      };
      TieredCacheBuilder<Long, Product> builder = TieredCache.<Long, Product>newBuilder("sim")
          .config(TieredCacheConfig.custom().namespace("sim-" + setup.bus().name().toLowerCase(Locale.ROOT))
              .l2Ttl(L2_TTL).remoteTimeout(setup.remoteTimeout()).build())
          .remote(traced(RedissonRemoteTier.of(client)))
          .bus(bus)
          .busConfig(setup.busConfig())
          .keyCodec(KeyCodecs.longs())
          .valueCodec(Codecs.fory())
          .loader(k -> {
            Product p = source.read(k);
            loaded.put(k, p);
            return p;
          });
      if (setup.versioned()) {
        builder.versionOf(Product::version);
      }
      nodes.add(builder.build());
    }
    return new SimSystem() {
      @Override
      public String name() {
        return "Lamina (" + setup.bus().label + (setup.variant().isEmpty() ? "" : ", " + setup.variant()) + ")";
      }

      @Override
      public Read read(int node, long key) {
        boolean[] remoteRead = TRACE.get();
        remoteRead[0] = false;
        Product p = nodes.get(node).get(key);
        if (p == null) {
          throw new IllegalStateException("no value for " + key);
        }
        boolean fromSource = loaded.get(key) == p && loaded.remove(key, p);
        return new Read(p, fromSource ? Tier.SOURCE : remoteRead[0] ? Tier.L2 : Tier.L1);
      }

      @Override
      public void invalidate(int node, long key) {
        nodes.get(node).invalidate(key);
      }

      @Override
      public void put(int node, Product value) {
        nodes.get(node).put(value.id(), value);
      }

      @Override
      public Map<String, Long> counters() {
        long coalesced = 0;
        long rejected = 0;
        long flushes = 0;
        long behind = 0;
        long repaired = 0;
        for (TieredCache<Long, Product> n : nodes) {
          TieredCacheStats s = n.stats();
          coalesced += s.coalescedLoads();
          rejected += s.rejectedFills();
          repaired += s.l2Repairs().repaired();
          CoherenceStats c = n.coherence();
          flushes += c.flushes();
          behind += c.behindTransitions();
        }
        Map<String, Long> m = new LinkedHashMap<>();
        m.put("coalescedLoads", coalesced);
        m.put("rejectedFills", rejected);
        m.put("flushes", flushes);
        m.put("behindTransitions", behind);
        m.put("l2Repairs", repaired);
        return m;
      }

      @Override
      public void ready() throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!nodes.stream().allMatch(n -> n.coherence().trusted())) {
          if (System.nanoTime() > deadline) {
            throw new IllegalStateException("the bus never became trusted");
          }
          Thread.sleep(20);
        }
      }

      @Override
      public void close() {
        nodes.forEach(TieredCache::close);
      }
    };
  }

  /** Per thread: [0] the current read went to L2. */
  static final ThreadLocal<boolean[]> TRACE = ThreadLocal.withInitial(() -> new boolean[1]);

  /** A remote tier whose single and bulk reads mark the calling thread, so a read knows which tier answered. */
  static RemoteTier traced(RemoteTier tier) {
    return new RemoteTier() {
      @Override
      public RemoteStore open(RemoteStoreSpec spec) {
        RemoteStore store = tier.open(spec);
        return (RemoteStore) Proxy.newProxyInstance(RemoteStore.class.getClassLoader(),
            new Class<?>[] {RemoteStore.class}, (proxy, method, args) -> {
              if (method.getName().startsWith("read")) {
                TRACE.get()[0] = true;
              }
              try {
                return method.invoke(store, args);
              } catch (InvocationTargetException e) {
                throw e.getCause() != null ? e.getCause() : e;
              }
            });
      }

      @Override
      public String name() {
        return tier.name();
      }

      @Override
      public Roster roster(String namespace) {
        return tier.roster(namespace);
      }
    };
  }
}
