package io.lamina.benchmarks;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.lamina.benchmarks.StampedeSystems.Candidate;
import io.lamina.benchmarks.StampedeSystems.LeaseWaits;
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
 * constant reads. Counts source calls (per key, and per refill of the hot key) and measures callers' latency, for
 * Lamina with single-flight per node (the default) and with distributed single-flight (one load per key across
 * the cluster, through the L2 lease), a Redis cache-aside without single-flight, and a Caffeine-only cache per
 * node.
 */
final class StampedeSuite implements Suite {

  static final int NODES = 3;
  static final Duration SOURCE_LATENCY = Duration.ofMillis(50);
  static final Duration HOT_TTL = Duration.ofSeconds(1);
  /** Source calls further apart than this belong to different refills of the hot key. */
  static final Duration REFILL_GAP = HOT_TTL.dividedBy(4);
  static final String LAMINA = "Lamina, single-flight per node (L2 + NATS bus)";
  static final String LAMINA_CLUSTER = "Lamina, distributed single-flight (L2 lease + NATS bus)";
  static final String REDIS = "Redis cache-aside, no single-flight";
  static final String CAFFEINE = "Caffeine per node (local single-flight)";

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
          for (Candidate system : StampedeSystems.systems(servers, source, hot, run)) {
            try (system) {
              measure(system, source, hot, run, callersPerNode, rounds, window, f, perRun,
                  hot ? lastHot : lastCold);
            }
          }
        }
      }
    }
    summarise(ctx, report, f, lastCold, lastHot, callersPerNode, rounds, window);
    return report;
  }

  /** Runs one scenario (cold or hot) on one system and records its figures under the system's name. */
  private static void measure(Candidate system, SlowSource source, boolean hot, int run, int callersPerNode,
      int rounds, Duration window, Runs f, ObjectNode perRun, Map<String, Latency> last) throws Exception {
    String n = system.name();
    String scenario = hot ? "hot" : "cold";
    Latency latency = new Latency();
    long before = source.total();
    int mark = source.started();
    double perEvent;
    double most;
    if (hot) {
      long reads = hot(system, callersPerNode / 2, window, latency);
      double periods = window.toNanos() / (double) HOT_TTL.toNanos();
      perEvent = (source.total() - before) / periods;
      List<Integer> refills = source.bursts(mark, REFILL_GAP);
      most = refills.stream().mapToInt(Integer::intValue).max().orElse(0);
      f.add("hot refills/" + n, refills.size());
      f.add("hot calls per refill/" + n, refills.stream().mapToInt(Integer::intValue).average().orElse(Double.NaN));
      f.add("hot reads per second/" + n, reads * 1e9 / window.toNanos());
      perRun.putObject(scenario + " " + n).put("callsPerRefill", refills.toString());
    } else {
      most = 0;
      for (int r = 0; r < rounds; r++) {
        String key = "cold-" + run + "-" + r;
        long keyBefore = source.calls(key);
        cold(system, key, callersPerNode, latency);
        most = Math.max(most, source.calls(key) - keyBefore);
      }
      perEvent = (source.total() - before) / (double) rounds;
    }
    last.put(n, latency);
    LeaseWaits waits = system.leaseWaits();
    f.add(scenario + " calls/" + n, perEvent);
    f.add(scenario + " most calls/" + n, most);
    f.add(scenario + " p50/" + n, latency.micros(50));
    f.add(scenario + " p99/" + n, latency.micros(99));
    f.add(scenario + " max/" + n, latency.histogram().getMaxValue() / 1000.0);
    f.add(scenario + " lease waits/" + n, waits.waits());
    f.add(scenario + " wake-ups/" + n, waits.wakeUps());
    f.add(scenario + " waits expired/" + n, waits.expired());
    perRun.withObject("/" + scenario + " " + n).put("sourceCallsPerEvent", Stats.round3(perEvent))
        .put("mostSourceCallsPerEvent", most).put("leaseWaits", waits.waits()).put("wakeUps", waits.wakeUps())
        .put("leaseWaitsExpired", waits.expired()).set("latency", latency.summary());
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

  private static void summarise(Context ctx, SuiteReport report, Runs f, Map<String, Latency> lastCold,
      Map<String, Latency> lastHot, int callersPerNode, int rounds, Duration window) {
    List<List<String>> rows = new ArrayList<>();
    List<String> names = new ArrayList<>(lastCold.keySet());
    List<Double> coldCalls = new ArrayList<>();
    List<Double> hotCalls = new ArrayList<>();
    for (String n : names) {
      rows.add(List.of(n, Stats.fmt(f.median("cold calls/" + n)), Stats.fmt(most(f, "cold most calls/" + n)),
          Stats.fmt(f.median("cold p50/" + n)), Stats.fmt(f.median("cold p99/" + n)),
          Stats.fmt(f.median("hot calls/" + n)), Stats.fmt(f.median("hot calls per refill/" + n)) + " / "
              + Stats.fmt(most(f, "hot most calls/" + n)),
          Stats.fmt(f.median("hot p50/" + n)), Stats.fmt(f.median("hot p99/" + n)), Stats.fmt(f.median("hot max/" + n)),
          Stats.fmt(f.median("hot reads per second/" + n))));
      coldCalls.add(f.median("cold calls/" + n));
      hotCalls.add(f.median("hot calls per refill/" + n));
      report.summary().putObject(n).put("coldSourceCallsPerKey", Stats.round3(f.median("cold calls/" + n)))
          .put("coldMostSourceCallsPerKey", most(f, "cold most calls/" + n))
          .put("hotSourceCallsPerTtlPeriod", Stats.round3(f.median("hot calls/" + n)))
          .put("hotSourceCallsPerRefill", Stats.round3(f.median("hot calls per refill/" + n)))
          .put("hotMostSourceCallsPerRefill", most(f, "hot most calls/" + n))
          .put("coldP99Micros", Stats.round3(f.median("cold p99/" + n)))
          .put("hotP99Micros", Stats.round3(f.median("hot p99/" + n)))
          .put("coldLeaseWaits", f.median("cold lease waits/" + n))
          .put("hotLeaseWaits", f.median("hot lease waits/" + n));
    }
    report.table("Source calls and caller latency in µs (median of runs; \"most\" is the largest over all keys, "
        + "refills and runs)", List.of("system", "cold: source calls per key", "cold: most per key", "cold p50",
        "cold p99", "hot: source calls per TTL period", "hot: calls per refill (mean / most)", "hot p50", "hot p99",
        "hot max", "hot reads/s"), rows);
    List<List<String>> waits = new ArrayList<>();
    for (String n : List.of(LAMINA, LAMINA_CLUSTER)) {
      for (String scenario : List.of("cold", "hot")) {
        waits.add(List.of(n, scenario, f.perRun(scenario + " lease waits/" + n), f.perRun(scenario + " wake-ups/" + n),
            f.perRun(scenario + " waits expired/" + n)));
      }
    }
    report.table("Lease waits, summed over the 3 nodes (per run): reads that waited for another node's load, "
        + "those woken by its message, those whose wait ran out", List.of("system", "scenario", "lease waits",
        "wake-ups", "waits expired"), waits);
    coldGoals(report, f, callersPerNode, rounds);
    hotGoals(report, f);
    Charts.bars(ctx.plot("stampede-source-calls.png"),
        "Source calls: cold key (per key) and expiring hot key (per refill)", "source calls",
        List.of("cold key", "hot key"), seriesPerSystem(names, coldCalls, hotCalls), false);
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
        + HOT_TTL.toMillis() / 2 + " ms, default 10 % jitter). \"Per TTL period\" divides the source calls by the "
        + "window over the TTL; a refill is a group of source calls less than " + REFILL_GAP.toMillis()
        + " ms apart (the first refill is the key's cold start), so \"per refill\" counts the calls one expiry "
        + "cost.");
    report.note("The two Lamina rows differ only in `ProtectionConfig.distributedSingleFlight` (off by default): "
        + "off, each node's reader that finds another node's L2 lease loads too (one load per key per node); on, it "
        + "waits for the holder's value (woken by a bus message, or re-reading L2 when the lease ends). Each row "
        + "uses its own cache name, so neither reads the other's L2 entries.");
  }

  private static void coldGoals(SuiteReport report, Runs f, int callersPerNode, int rounds) {
    report.goal("cold key, single-flight per node (the default): at most one source call per node",
        "source calls per key: " + Stats.fmt(f.median("cold calls/" + LAMINA)) + " for " + NODES * callersPerNode
            + " callers on " + NODES + " nodes (Redis cache-aside without single-flight: "
            + Stats.fmt(f.median("cold calls/" + REDIS)) + ")",
        most(f, "cold most calls/" + LAMINA) <= NODES, "");
    double worst = most(f, "cold most calls/" + LAMINA_CLUSTER);
    int keys = rounds * f.all("cold calls/" + LAMINA_CLUSTER).size();
    report.goal("cold key, distributed single-flight: 1 source call per key per cluster (" + NODES + " nodes)",
        "source calls per key: " + Stats.fmt(f.median("cold calls/" + LAMINA_CLUSTER)) + " (median of runs), at most "
            + Stats.fmt(worst) + " for any of " + keys + " keys; lease waits per run: "
            + f.perRun("cold lease waits/" + LAMINA_CLUSTER) + ", of which ran out: "
            + f.perRun("cold waits expired/" + LAMINA_CLUSTER),
        worst <= 1, worst <= 1 ? "" : whyMissed(f, "cold"));
  }

  private static void hotGoals(SuiteReport report, Runs f) {
    report.goal("expiring hot key, single-flight per node (the default): at most one source call per node per "
        + "expiry", "source calls per refill: " + Stats.fmt(f.median("hot calls per refill/" + LAMINA))
        + ", at most " + Stats.fmt(most(f, "hot most calls/" + LAMINA)), most(f, "hot most calls/" + LAMINA) <= NODES,
        "");
    double worst = most(f, "hot most calls/" + LAMINA_CLUSTER);
    report.goal("expiring hot key, distributed single-flight: 1 source call per expiry per cluster (" + NODES
        + " nodes)", "source calls per refill: " + Stats.fmt(f.median("hot calls per refill/" + LAMINA_CLUSTER))
        + " (median of runs), at most " + Stats.fmt(worst) + " in any of " + f.perRun("hot refills/" + LAMINA_CLUSTER)
        + " refills per run; " + Stats.fmt(f.median("hot calls/" + LAMINA_CLUSTER)) + " per " + HOT_TTL.toMillis()
        + " ms TTL period", worst <= 1, worst > 1 ? whyMissed(f, "hot")
        : "the callers that miss at an expiry still wait for the one load: hot max " + Stats.fmt(f.median("hot max/"
            + LAMINA_CLUSTER) / 1000) + " ms against the source's " + SOURCE_LATENCY.toMillis() + " ms (the load, "
            + "the holder's wake-up message and a re-read of L2); stale-while-revalidate, whose refresh also goes "
            + "through the lease, would hide it");
  }

  /**
   * Why distributed single-flight let more than one call through in {@code scenario}, from its counters: a wait
   * that ran out falls back to a load of its own; a node that saw no other node's lease loads without waiting.
   */
  private static String whyMissed(Runs f, String scenario) {
    String n = "/" + LAMINA_CLUSTER;
    return "lease waits per run " + f.perRun(scenario + " lease waits" + n) + ", of which ran out "
        + f.perRun(scenario + " waits expired" + n) + " (a wait that runs out loads itself, waitFallback LOAD); "
        + "calls beyond one per event with no expired wait come from a node that saw no other node's lease: it read "
        + "L2 after the holder's fill was stored (a hit, no call) or before any lease was taken (it took the lease "
        + "and loaded), so extra calls mean two leases were granted for one key";
  }

  /** The largest figure of {@code key} over all runs. */
  private static double most(Runs f, String key) {
    return f.all(key).stream().mapToDouble(Double::doubleValue).max().orElse(Double.NaN);
  }

  private static Map<String, List<Double>> seriesPerSystem(List<String> names, List<Double> a, List<Double> b) {
    Map<String, List<Double>> m = new LinkedHashMap<>();
    for (int i = 0; i < names.size(); i++) {
      m.put(names.get(i), List.of(a.get(i), b.get(i)));
    }
    return m;
  }
}
