package io.lamina.benchmarks.simulate;

import io.lamina.benchmarks.Charts;
import io.lamina.benchmarks.Context;
import io.lamina.benchmarks.Latency;
import io.lamina.benchmarks.Machine;
import io.lamina.benchmarks.Runs;
import io.lamina.benchmarks.Stats;
import io.lamina.benchmarks.SuiteReport;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Tables, plots, goals and notes of the simulation. */
final class SimulateReport {

  private static final double STALE_BOUND_MS = 5;

  private SimulateReport() {}

  static void summarise(Context ctx, SuiteReport report, Runs f, List<String> names, Map<String, Latency> lastReads,
      Workload w, Duration window) {
    List<List<String>> rows = new ArrayList<>();
    List<List<String>> tierRows = new ArrayList<>();
    Map<String, List<Double>> shares = new LinkedHashMap<>();
    List<Double> stale = new ArrayList<>();
    List<Double> sourcePerThousand = new ArrayList<>();
    List<Double> throughput = new ArrayList<>();
    for (String n : names) {
      rows.add(List.of(n, Stats.fmt(f.median("throughput/" + n)), Stats.fmt(f.median("read p50/" + n)),
          Stats.fmt(f.median("read p99/" + n)), pct(f.median("share L1/" + n)), pct(f.median("share L2/" + n)),
          pct(f.median("share SOURCE/" + n)), Stats.fmt(f.median("source per read/" + n) * 1000),
          pct(f.median("reduction vs no cache/" + n)), Stats.fmt(f.median("source calls vs Redis only/" + n)),
          Stats.fmt(f.median("stale/" + n)) + " (" + Stats.fmt(f.median("stale per million/" + n)) + " ppm)",
          Stats.fmt(f.median("worst staleness ms/" + n))));
      tierRows.add(List.of(n, tier(f, Tier.L1, n), tier(f, Tier.L2, n), tier(f, Tier.SOURCE, n),
          Stats.fmt(f.median("write p50/" + n)), f.has("coalescedLoads/" + n)
              ? Stats.fmt(f.median("coalescedLoads/" + n)) : "–"));
      for (Tier t : Tier.values()) {
        shares.computeIfAbsent(t == Tier.SOURCE ? "source" : t.name(), k -> new ArrayList<>())
            .add(100 * f.median("share " + t + "/" + n));
      }
      stale.add(f.median("stale per million/" + n));
      sourcePerThousand.add(f.median("source per read/" + n) * 1000);
      throughput.add(f.median("throughput/" + n));
      report.summary().putObject(n)
          .put("opsPerSecond", Stats.round3(f.median("throughput/" + n)))
          .put("readP50Micros", Stats.round3(f.median("read p50/" + n)))
          .put("readP99Micros", Stats.round3(f.median("read p99/" + n)))
          .put("l1Share", Stats.round3(f.median("share L1/" + n)))
          .put("l2Share", Stats.round3(f.median("share L2/" + n)))
          .put("sourceCallsPerRead", Stats.round3(f.median("source per read/" + n)))
          .put("reductionVsNoCache", Stats.round3(f.median("reduction vs no cache/" + n)))
          .put("sourceCallsVsRedisOnly", Stats.round3(f.median("source calls vs Redis only/" + n)))
          .put("staleReads", f.median("stale/" + n))
          .put("worstStalenessMillis", Stats.round3(f.median("worst staleness ms/" + n)));
    }
    report.table("Per system (median of runs)", List.of("system", "ops/s", "read p50 µs", "read p99 µs", "L1 hits",
        "L2 hits", "source", "source calls per 1000 reads", "reduction vs no cache", "source calls vs Redis only",
        "stale reads", "worst staleness ms"), rows);
    report.table("Read latency per tier, p50 / p99 in µs (median of runs)", List.of("system", "L1", "L2",
        "source (miss)", "write p50 µs", "coalesced loads"), tierRows);
    for (String n : names) {
      if (n.startsWith("Lamina")) {
        double worst = f.median("worst staleness ms/" + n);
        report.goal(n + ": no read older than a completed write by more than " + STALE_BOUND_MS
            + " ms (the propagation p99 goal)", Stats.fmt(f.median("stale/" + n)) + " stale reads, worst "
            + Stats.fmt(worst) + " ms, p99 " + Stats.fmt(f.median("stale p99 ms/" + n)) + " ms",
            worst <= STALE_BOUND_MS,
            "stale reads inside the propagation window are expected (another node's L1 serves the old value until "
                + "the invalidation arrives, sent after the write returned)" + (worst <= STALE_BOUND_MS ? ""
                : "; the worst ones outlived the bound on this loaded machine, as the propagation tail does (see "
                + "the invalidation suite's p99.9 and max)"));
      }
    }
    Charts.bars(ctx.plot("simulate-hit-ratio.png"), "Share of reads answered by each tier", "% of reads", names,
        shares, false);
    report.plot("Hit ratio per tier and system", "simulate-hit-ratio.png");
    Charts.bars(ctx.plot("simulate-stale-reads.png"), "Stale reads per million reads", "per million reads", names,
        Map.of("stale reads", stale), false);
    report.plot("Stale reads per system", "simulate-stale-reads.png");
    List<String> cached = names.subList(1, names.size()); // no cache: 1000 per 1000 reads by definition
    Charts.bars(ctx.plot("simulate-source-calls.png"), "Source calls per 1000 reads (no cache: 1000, not drawn)",
        "calls", cached, Map.of("source calls per 1000 reads", sourcePerThousand.subList(1, names.size())), false);
    report.plot("Source calls per system", "simulate-source-calls.png");
    Charts.bars(ctx.plot("simulate-throughput.png"), "Operations per second, all nodes", "ops/s", names,
        Map.of("throughput", throughput), false);
    report.plot("Throughput per system", "simulate-throughput.png");
    Map<String, List<double[]>> curves = new LinkedHashMap<>();
    lastReads.forEach((k, v) -> curves.put(k, Latency.curve(v.histogram())));
    Charts.percentiles(ctx.plot("simulate-read-latency.png"), "Read latency, all tiers (last run)", curves);
    report.plot("Read latency distribution per system", "simulate-read-latency.png");
    report.note(Systems.NODES + " nodes per system in one JVM (not separate processes), each node with its own "
        + "Redisson client, Lettuce connection or NATS connection, sharing one redis-server and one nats-server "
        + "(Lamina's Redis bus is Redis Pub/Sub; RLocalCachedMap is Redisson's, JetCache is its two-level cache). "
        + w.callersPerNode() + " callers per node; each picks a key of " + w.keys() + " by Zipf(" + w.zipfExponent()
        + "), writes with probability " + w.writeShare() + " (source commit, then the system's invalidation: "
        + "Lamina `invalidate`, Redis `DEL`, RLocalCachedMap `fastRemove`) or reads, then pauses "
        + w.think().toMillis() + " ms. Measured for " + window.toSeconds() + " s after "
        + window.dividedBy(4).toSeconds()
        + " s of warm-up on the same system.");
    report.note("Source of truth: in memory, rows with versions, reads " + SimulateSuite.SOURCE_READ.toMillis()
        + " ms and writes " + SimulateSuite.SOURCE_WRITE.toMillis() + " ms median (log-normal, σ 0.5). No "
        + "PostgreSQL: the simulator starts no database of its own. A read is stale when it started after a newer "
        + "version's write (source commit and invalidation) had returned, yet returned the older version.");
    report.note("Tiers: Lamina's from a trace of the remote-tier read on the calling thread and of the instance the "
        + "loader returned (a caller that waited for another caller's load counts as L2 or L1; the coalesced loads "
        + "column counts them); "
        + "RLocalCachedMap's from its local map checked just before `get` (approximate). Redis only: L2 or source.");
    report.note("JetCache " + Machine.libraryVersions().getProperty("jetcache") + ": its two-level cache (Caffeine + "
        + "Redisson) with `syncLocal` broadcast over Redis Pub/Sub, built through `SimpleCacheManager` and "
        + "`QuickConfig` without Spring; values through its default Java serialization (the others use Fory); it "
        + "runs on Redisson " + Machine.libraryVersions().getProperty("redisson") + ", newer than the 3.x it was "
        + "built against. Its tiers are approximated like RLocalCachedMap's.");
  }

  private static String tier(Runs f, Tier t, String n) {
    return f.has(t + " p50/" + n) ? Stats.fmt(f.median(t + " p50/" + n)) + " / " + Stats.fmt(f.median(t + " p99/" + n))
        : "–";
  }

  private static String pct(double share) {
    return Double.isNaN(share) ? "–" : Stats.fmt(100 * share) + " %";
  }
}
