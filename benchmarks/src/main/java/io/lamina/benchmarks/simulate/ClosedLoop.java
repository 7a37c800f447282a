package io.lamina.benchmarks.simulate;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.lamina.BusConfig;
import io.lamina.TieredCacheConfig;
import io.lamina.benchmarks.Context;
import io.lamina.benchmarks.Runs;
import io.lamina.benchmarks.Servers;
import io.lamina.benchmarks.Stats;
import io.lamina.benchmarks.SuiteReport;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The simulation's closed loop: the same traffic with no pause between operations, so the callers (more than the
 * machine has cores) keep every core busy and the nodes' delivery threads compete with them — the load under
 * which a node that does not know it is behind serves stale L1 entries. Lamina over NATS and over Redis Pub/Sub
 * beside {@code RLocalCachedMap} and JetCache, writes both ways; every read is judged against the staleness bound
 * B that Lamina is configured with.
 */
final class ClosedLoop {

  /** Heartbeats, detection time and bound of the saturated coherence test: B = 250 ms. */
  static final BusConfig BUS = new BusConfig(Duration.ofMillis(50), Duration.ofSeconds(1), 256,
      Duration.ofNanos(200_000), Duration.ofMillis(250));

  /**
   * The same with the bound out of reach (B = one hour): a node never finds itself behind, as before the bound
   * existed. Its throughput against {@link #BUS}'s is what the bound costs.
   */
  static final BusConfig BOUND_OFF = new BusConfig(BUS.heartbeatInterval(), BUS.detectionTime(), BUS.batchSize(),
      BUS.batchDelay(), Duration.ofHours(1));
  static final String BOUND_OFF_VARIANT = "bound off";
  /** The bound may cost at most this share of the closed loop's throughput. */
  static final double BOUND_COST_GOAL = 0.8;

  private ClosedLoop() {}

  /**
   * The systems, each built for {@code write}. The bounded and the unbounded Lamina over NATS run one after the
   * other, in turn first, so that neither gains from running later in the same JVM.
   */
  static List<SimulateSuite.Factory> systems(Workload.Write write, int run) {
    boolean versioned = write == Workload.Write.PUT;
    SimulateSuite.Factory bounded = (s, src) -> Systems.lamina(s, src, new Systems.LaminaSetup(Systems.Bus.NATS,
        BUS, versioned, TieredCacheConfig.DEFAULT_REMOTE_TIMEOUT));
    SimulateSuite.Factory unbounded = (s, src) -> Systems.lamina(s, src, new Systems.LaminaSetup(Systems.Bus.NATS,
        BOUND_OFF, versioned, TieredCacheConfig.DEFAULT_REMOTE_TIMEOUT, BOUND_OFF_VARIANT));
    return List.of(
        run % 2 == 0 ? bounded : unbounded,
        run % 2 == 0 ? unbounded : bounded,
        (s, src) -> Systems.lamina(s, src, new Systems.LaminaSetup(Systems.Bus.REDIS, BUS, versioned,
            TieredCacheConfig.DEFAULT_REMOTE_TIMEOUT)),
        Systems::redissonLocalCachedMap,
        JetCacheSystem::new);
  }

  /** One run of every system and write on {@code servers}; rows are named "system, write". */
  static void run(Context ctx, Servers servers, Workload paced, Duration window, int run, ObjectNode perRun, Runs f,
      List<String> rows) throws Exception {
    for (Workload.Write write : Workload.Write.values()) {
      Workload w = paced.thinking(Duration.ZERO).with(write, BUS.stalenessBound());
      for (SimulateSuite.Factory factory : systems(write, run)) {
        SourceOfTruth source = new SourceOfTruth(w.keys(), SimulateSuite.SOURCE_READ, Duration.ZERO);
        try (SimSystem system = factory.create(servers, source)) {
          String n = system.name() + ", " + write;
          if (!rows.contains(n)) {
            rows.add(n);
          }
          ctx.log("  closed loop: " + n);
          system.ready();
          w.run(system, source, Systems.NODES, window.dividedBy(4), 300 + run);
          Map<String, Long> before = system.counters();
          Workload.Outcome o = w.run(system, source, Systems.NODES, window, 400 + run);
          Map<String, Long> after = system.counters();
          double seconds = o.elapsedNanos / 1e9;
          f.add("ops/" + n, (o.totalReads() + o.writes.sum()) / seconds);
          f.add("stale/" + n, o.stale.sum());
          f.add("beyond/" + n, o.beyondBound.sum());
          f.add("worst/" + n, o.worstStalenessNanos.get() / 1e6);
          f.add("behind/" + n, after.getOrDefault("behindTransitions", 0L)
              - before.getOrDefault("behindTransitions", 0L));
          perRun.putObject("closed loop: " + n).put("seconds", Stats.round3(seconds))
              .put("reads", o.totalReads()).put("writes", o.writes.sum()).put("staleReads", o.stale.sum())
              .put("beyondBound", o.beyondBound.sum()).put("readErrors", o.readErrors.sum())
              .put("writeErrors", o.writeErrors.sum())
              .put("worstStalenessMillis", Stats.round3(o.worstStalenessNanos.get() / 1e6));
        }
      }
    }
  }

  /** The closed loop's table, goals and note. */
  static void summarise(SuiteReport report, Runs f, List<String> rows, Workload paced, Duration window) {
    long bound = BUS.stalenessBound().toMillis();
    List<List<String>> table = new ArrayList<>();
    for (String n : rows) {
      table.add(List.of(n, Stats.fmt(f.median("ops/" + n)), Stats.fmt(f.median("stale/" + n)),
          Stats.fmt(f.median("beyond/" + n)) + " (" + f.perRun("beyond/" + n) + ")",
          Stats.fmt(f.median("worst/" + n)) + " (" + f.perRun("worst/" + n) + ")",
          n.startsWith("Lamina") ? Stats.fmt(f.median("behind/" + n)) : "–"));
      report.summary().putObject("closed loop: " + n)
          .put("opsPerSecond", Stats.round3(f.median("ops/" + n)))
          .put("staleReads", f.median("stale/" + n))
          .put("beyondBound", f.median("beyond/" + n))
          .put("worstStalenessMillis", Stats.round3(f.median("worst/" + n)));
      if (n.startsWith("Lamina") && !n.contains(BOUND_OFF_VARIANT)) {
        double worstRun = f.all("beyond/" + n).stream().mapToDouble(Double::doubleValue).max().orElse(0);
        report.goal(n + ", closed loop: no read older than the bound B = " + bound + " ms after a completed write",
            "reads beyond B per run: " + f.perRun("beyond/" + n) + "; worst staleness " + f.perRun("worst/" + n)
                + " ms", worstRun == 0, worstRun == 0 ? ""
                : "a node served an L1 entry older than B while its deliveries were behind: a coherence bug");
      }
    }
    for (Workload.Write write : Workload.Write.values()) {
      String with = "Lamina (" + Systems.Bus.NATS.label + "), " + write;
      String without = "Lamina (" + Systems.Bus.NATS.label + ", " + BOUND_OFF_VARIANT + "), " + write;
      if (!rows.contains(with) || !rows.contains(without)) {
        continue;
      }
      List<Double> ratios = new ArrayList<>();
      List<Double> withRuns = f.all("ops/" + with);
      List<Double> withoutRuns = f.all("ops/" + without);
      for (int i = 0; i < Math.min(withRuns.size(), withoutRuns.size()); i++) {
        ratios.add(withRuns.get(i) / withoutRuns.get(i));
      }
      double ratio = Stats.median(ratios);
      double fellBehind = f.all("behind/" + with).stream().mapToDouble(Double::doubleValue).sum();
      report.summary().put("closed loop: bound cost, " + write, Stats.round3(ratio));
      String caveat = fellBehind == 0
          ? "the bounded nodes never fell behind B in these runs, so the bound changed nothing they served: the "
              + "difference is run-to-run noise (see the per-run ratios), not the bound's cost"
          : "a node behind B reads L2 instead of its older L1 entries: fewer L1 hits while it catches up";
      report.goal(with + ", closed loop: the bound B keeps at least " + Math.round(100 * BOUND_COST_GOAL)
              + " % of the throughput without it (B out of reach), same run",
          Stats.fmt(100 * ratio) + " % (per run " + ratios.stream().map(Stats::fmt).toList() + "); the bounded "
              + "nodes fell behind " + Stats.fmt(fellBehind) + " times; reads beyond B without the bound per run: "
              + f.perRun("beyond/" + without),
          ratio >= BOUND_COST_GOAL, ratio >= BOUND_COST_GOAL ? "" : caveat);
    }
    report.table("Closed loop: " + Systems.NODES + " nodes × " + paced.callersPerNode() + " callers, no pause, "
        + Stats.fmt(100 * paced.writeShare()) + " % writes, bound B = " + bound + " ms (median of runs; per run in "
        + "brackets)", List.of("system, write", "ops/s", "stale reads", "reads beyond B", "worst staleness ms",
        "fell behind (Lamina)"), table);
    report.note("Closed loop: the same keys and Zipf skew as the paced rows, every caller back to back ("
        + Systems.NODES * paced.callersPerNode() + " busy callers in one JVM, more than the machine's "
        + Runtime.getRuntime().availableProcessors() + " cores), measured " + window.toMillis() + " ms after "
        + window.dividedBy(4).toMillis() + " ms of warm-up. Lamina runs with heartbeats every "
        + BUS.heartbeatInterval().toMillis() + " ms, detection time " + BUS.detectionTime().toMillis() + " ms and "
        + "staleness bound B = " + bound + " ms (the saturated coherence test's settings); a read beyond B began "
        + "more than B after a newer version's write (source, then the cache's part) had returned. Writes both "
        + "ways: source then `invalidate` (RLocalCachedMap `fastRemove`, JetCache `remove`), and `put` of the new "
        + "version (Lamina with `versionOf`; RLocalCachedMap `fastPut`, JetCache `put`). The peers have no bound of "
        + "their own: B is only the yardstick. \"Fell behind\" counts the times a Lamina node found its deliveries "
        + "behind B and stopped serving older L1 entries. The \"" + BOUND_OFF_VARIANT + "\" row is Lamina over NATS "
        + "with B set to one hour, so no node ever finds itself behind: Lamina as it was before the bound, run "
        + "beside it to show what the bound costs and what it prevents. The source's writes take no time here (its "
        + "reads still "
        + "take " + SimulateSuite.SOURCE_READ.toMillis() + " ms): with " + SimulateSuite.SOURCE_WRITE.toMillis()
        + " ms writes the callers would spend most of their time parked in the source, not on the cores.");
  }
}
