package io.lamina.benchmarks;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.lamina.BusConfig;
import io.lamina.KeyCodecs;
import io.lamina.TieredCache;
import io.lamina.TieredCacheConfig;
import io.lamina.ValueCodecs;
import io.lamina.bus.NatsInvalidationBus;
import io.lamina.redis.RedissonRemoteTier;
import io.lettuce.core.SetArgs;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.codec.StringCodec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Stampedes on three nodes: a cold key read by every caller at once, and a hot key whose TTL expires under
 * constant reads. Counts source calls and measures callers' latency, for Lamina (local single-flight per key
 * today), a Redis cache-aside without single-flight, and a Caffeine-only cache per node.
 */
final class StampedeSuite implements Suite {

  static final int NODES = 3;
  static final Duration SOURCE_LATENCY = Duration.ofMillis(50);
  static final Duration HOT_TTL = Duration.ofSeconds(1);
  static final String LAMINA = "Lamina (3 nodes, L2 + NATS bus)";
  static final String REDIS = "Redis cache-aside, no single-flight";
  static final String CAFFEINE = "Caffeine per node (local single-flight)";

  /** A system under test: {@code get} on one of its nodes. */
  interface Candidate extends AutoCloseable {
    String name();

    String get(int node, String key) throws Exception;

    @Override
    void close();
  }

  @Override
  public String name() {
    return "stampede";
  }

  @Override
  public SuiteReport run(Context ctx) throws Exception {
    Scale scale = ctx.scale();
    SuiteReport report = new SuiteReport(name(), "Stampede: cold key and expiring hot key", scale);
    int callersPerNode = scale.smoke() ? 4 : 16;
    int rounds = scale.smoke() ? 2 : scale.quick() ? 5 : 20;
    Duration window = scale.window(scale.full() ? 0.67 : 1.0);
    Runs f = new Runs();
    Map<String, Latency> lastCold = new LinkedHashMap<>();
    Map<String, Latency> lastHot = new LinkedHashMap<>();
    for (int run = 0; run < scale.runs(); run++) {
      ctx.log("stampede run " + (run + 1) + "/" + scale.runs());
      ObjectNode perRun = report.addRun();
      try (Servers servers = Servers.start(true)) {
        servers.describe(report);
        for (boolean hot : new boolean[] {false, true}) {
          SlowSource source = new SlowSource(SOURCE_LATENCY);
          for (Candidate system : systems(servers, source, hot, run)) {
            try (system) {
              Latency latency = new Latency();
              long before = source.total();
              double perEvent;
              if (hot) {
                long reads = hot(system, callersPerNode / 2, window, latency);
                double expiries = window.toNanos() / (double) HOT_TTL.toNanos();
                perEvent = (source.total() - before) / expiries;
                f.add("hot reads per second/" + system.name(), reads * 1e9 / window.toNanos());
                lastHot.put(system.name(), latency);
              } else {
                for (int r = 0; r < rounds; r++) {
                  cold(system, "cold-" + run + "-" + r, callersPerNode, latency);
                }
                perEvent = (source.total() - before) / (double) rounds;
                lastCold.put(system.name(), latency);
              }
              String scenario = hot ? "hot" : "cold";
              f.add(scenario + " calls/" + system.name(), perEvent);
              f.add(scenario + " p50/" + system.name(), latency.micros(50));
              f.add(scenario + " p99/" + system.name(), latency.micros(99));
              f.add(scenario + " max/" + system.name(), latency.histogram().getMaxValue() / 1000.0);
              perRun.putObject(scenario + " " + system.name()).put("sourceCallsPerEvent", Stats.round3(perEvent))
                  .set("latency", latency.summary());
            }
          }
        }
      }
    }
    summarise(ctx, report, f, lastCold, lastHot, callersPerNode, rounds, window);
    return report;
  }

  private static List<Candidate> systems(Servers servers, SlowSource source, boolean hot, int run) throws Exception {
    List<Candidate> systems = new ArrayList<>();
    String cache = (hot ? "hot" : "cold") + run;
    List<TieredCache<String, String>> nodes = new ArrayList<>();
    for (int i = 0; i < NODES; i++) {
      TieredCacheConfig.Builder config = TieredCacheConfig.custom().namespace("stampede");
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
    awaitTrusted(nodes);
    systems.add(new Candidate() {
      @Override
      public String name() {
        return LAMINA;
      }

      @Override
      public String get(int node, String key) {
        return String.valueOf(nodes.get(node).get(key));
      }

      @Override
      public void close() {
        nodes.forEach(TieredCache::close);
      }
    });
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

  /** Every caller of every node reads {@code key} at the same moment (a barrier releases them). */
  private static void cold(Candidate system, String key, int callersPerNode, Latency latency) throws Exception {
    int callers = NODES * callersPerNode;
    ExecutorService pool = Executors.newFixedThreadPool(callers);
    try {
      CyclicBarrier start = new CyclicBarrier(callers);
      List<Future<?>> work = new ArrayList<>();
      for (int c = 0; c < callers; c++) {
        int node = c % NODES;
        work.add(pool.submit(() -> {
          start.await();
          long t = System.nanoTime();
          system.get(node, key);
          latency.record(System.nanoTime() - t);
          return null;
        }));
      }
      for (Future<?> w : work) {
        w.get(30, TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdownNow();
    }
  }

  /** Callers on every node read one hot key, 0.5 ms apart, for {@code window}; returns the reads. */
  private static long hot(Candidate system, int callersPerNode, Duration window, Latency latency) throws Exception {
    int callers = NODES * callersPerNode;
    ExecutorService pool = Executors.newFixedThreadPool(callers);
    try {
      long end = System.nanoTime() + window.toNanos();
      List<Future<Long>> work = new ArrayList<>();
      for (int c = 0; c < callers; c++) {
        int node = c % NODES;
        work.add(pool.submit(() -> {
          long n = 0;
          while (System.nanoTime() < end) {
            long t = System.nanoTime();
            system.get(node, "hot");
            latency.record(System.nanoTime() - t);
            n++;
            LockSupport.parkNanos(500_000);
          }
          return n;
        }));
      }
      long reads = 0;
      for (Future<Long> w : work) {
        reads += w.get(window.toMillis() + 60_000, TimeUnit.MILLISECONDS);
      }
      return reads;
    } finally {
      pool.shutdownNow();
    }
  }

  private static void awaitTrusted(List<TieredCache<String, String>> nodes) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (!nodes.stream().allMatch(n -> n.coherence().trusted())) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("the bus never became trusted");
      }
      Thread.sleep(20);
    }
  }

  private static void summarise(Context ctx, SuiteReport report, Runs f, Map<String, Latency> lastCold,
      Map<String, Latency> lastHot, int callersPerNode, int rounds, Duration window) {
    List<List<String>> rows = new ArrayList<>();
    List<String> names = new ArrayList<>(lastCold.keySet());
    List<Double> coldCalls = new ArrayList<>();
    List<Double> hotCalls = new ArrayList<>();
    for (String n : names) {
      rows.add(List.of(n, Stats.fmt(f.median("cold calls/" + n)), Stats.fmt(f.median("cold p50/" + n)),
          Stats.fmt(f.median("cold p99/" + n)), Stats.fmt(f.median("hot calls/" + n)),
          Stats.fmt(f.median("hot p50/" + n)), Stats.fmt(f.median("hot p99/" + n)), Stats.fmt(f.median("hot max/" + n)),
          Stats.fmt(f.median("hot reads per second/" + n))));
      coldCalls.add(f.median("cold calls/" + n));
      hotCalls.add(f.median("hot calls/" + n));
      report.summary().putObject(n).put("coldSourceCallsPerKey", Stats.round3(f.median("cold calls/" + n)))
          .put("hotSourceCallsPerExpiry", Stats.round3(f.median("hot calls/" + n)))
          .put("coldP99Micros", Stats.round3(f.median("cold p99/" + n)))
          .put("hotP99Micros", Stats.round3(f.median("hot p99/" + n)));
    }
    report.table("Source calls and caller latency in µs (median of runs)", List.of("system",
        "cold: source calls per key", "cold p50", "cold p99", "hot: source calls per TTL period", "hot p50", "hot p99",
        "hot max", "hot reads/s"), rows);
    double laminaCold = f.median("cold calls/" + LAMINA);
    double redisCold = f.median("cold calls/" + REDIS);
    report.goal("cold key: at most one source call per node (local single-flight, what Lamina has today)",
        Stats.fmt(laminaCold) + " calls per key for " + NODES * callersPerNode + " callers on " + NODES
            + " nodes (Redis cache-aside without single-flight: " + Stats.fmt(redisCold) + ")",
        laminaCold <= NODES, "one call per cluster needs distributed single-flight (the L2 lease), which is being "
            + "built; rerun this suite when it lands");
    report.goal("expiring hot key: at most one source call per node per expiry", Stats.fmt(f.median("hot calls/"
        + LAMINA)) + " calls per " + HOT_TTL.toMillis() + " ms TTL period", f.median("hot calls/" + LAMINA) <= NODES,
        "soft TTL with a single refresh under the lease would make it one per cluster and hide the load from callers");
    Charts.bars(ctx.plot("stampede-source-calls.png"), "Source calls: cold key (per key) and hot key (per TTL period)",
        "source calls", List.of("cold key", "hot key"), seriesPerSystem(names, coldCalls, hotCalls), false);
    report.plot("Source calls per stampede", "stampede-source-calls.png");
    Map<String, List<double[]>> curves = new LinkedHashMap<>();
    lastCold.forEach((k, v) -> curves.put(k, Latency.curve(v.histogram())));
    Charts.percentiles(ctx.plot("stampede-cold-latency.png"), "Cold key: caller latency (last run)", curves);
    report.plot("Cold key caller latency", "stampede-cold-latency.png");
    Map<String, List<double[]>> hotCurves = new LinkedHashMap<>();
    lastHot.forEach((k, v) -> hotCurves.put(k, Latency.curve(v.histogram())));
    Charts.percentiles(ctx.plot("stampede-hot-latency.png"), "Expiring hot key: caller latency (last run)", hotCurves);
    report.plot("Expiring hot key caller latency", "stampede-hot-latency.png");
    report.note(NODES + " nodes in one JVM, each with its own Redisson client and NATS connection; the source takes "
        + SOURCE_LATENCY.toMillis() + " ms per call (parked). Cold key: " + NODES * callersPerNode + " callers ("
        + callersPerNode + " per node) released by a barrier onto a key absent from both tiers, " + rounds
        + " keys per run.");
    report.note("Hot key: " + NODES * (callersPerNode / 2) + " callers read one key every 0.5 ms for "
        + window.toMillis() + " ms; TTL " + HOT_TTL.toMillis() + " ms in L2, Redis and Caffeine (Lamina's L1 "
        + HOT_TTL.toMillis() / 2 + " ms, default 10 % jitter). Source calls are divided by the number of TTL periods.");
    report.note("Lamina today has single-flight per key and node; distributed single-flight through the L2 lease "
        + "is being built. This suite reads only the public API, so rerunning it shows the change.");
  }

  private static Map<String, List<Double>> seriesPerSystem(List<String> names, List<Double> a, List<Double> b) {
    Map<String, List<Double>> m = new LinkedHashMap<>();
    for (int i = 0; i < names.size(); i++) {
      m.put(names.get(i), List.of(a.get(i), b.get(i)));
    }
    return m;
  }
}
