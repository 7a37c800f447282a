package io.lamina.benchmarks.simulate;

import io.lamina.benchmarks.Runs;
import io.lamina.benchmarks.Stats;
import io.lamina.benchmarks.SuiteReport;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** The fault matrix's table, goals and notes. */
final class FaultsReport {

  /** Issue 13's floor for the pub/sub kills: the share of the no-fault throughput kept. */
  private static final double KILLS_KEEP = 0.8;

  private FaultsReport() {}

  static void summarise(SuiteReport report, Runs f, List<String> rows, Workload w, Duration window, Duration at,
      Duration length) {
    long bound = FaultsSuite.BOUND.toMillis();
    List<List<String>> table = new ArrayList<>();
    for (String row : rows) {
      String[] parts = row.split(" \\| ", 3);
      boolean lamina = parts[2].startsWith("Lamina");
      table.add(List.of(parts[0], parts[1], parts[2], Stats.fmt(f.median("base ops/" + row)),
          Stats.fmt(f.median("ops/" + row)), Stats.fmt(f.median("ratio/" + row)) + " (" + f.perRun("ratio/" + row)
              + ")",
          Stats.fmt(f.median("stale/" + row)),
          Stats.fmt(f.median("beyond/" + row)) + " (" + f.perRun("beyond/" + row) + ")",
          Stats.fmt(f.median("settled beyond/" + row)) + " (" + f.perRun("settled beyond/" + row) + ")",
          Stats.fmt(f.median("worst/" + row)) + " (" + f.perRun("worst/" + row) + ")",
          Stats.fmt(f.median("read errors/" + row)) + " / " + Stats.fmt(f.median("write errors/" + row)),
          lamina ? Stats.fmt(f.median("flushes/" + row)) + " / " + Stats.fmt(f.median("l2Repairs/" + row)) : "–"));
      report.summary().putObject(row)
          .put("noFaultOpsPerSecond", Stats.round3(f.median("base ops/" + row)))
          .put("opsPerSecond", Stats.round3(f.median("ops/" + row)))
          .put("throughputRatio", Stats.round3(f.median("ratio/" + row)))
          .put("beyondBound", f.median("beyond/" + row))
          .put("beyondBoundAfterResync", f.median("settled beyond/" + row))
          .put("worstStalenessMillis", Stats.round3(f.median("worst/" + row)));
      if (!lamina) {
        continue;
      }
      double worstRun = f.all("settled beyond/" + row).stream().mapToDouble(Double::doubleValue).max().orElse(0);
      double anyRun = f.all("beyond/" + row).stream().mapToDouble(Double::doubleValue).max().orElse(0);
      report.goal(row.replace(" | ", ", ") + ": no read older than the bound (" + bound + " ms) after a completed "
          + "write, once the fault has ended and the resync time (" + FaultsSuite.RESYNC.toMillis() + " ms) passed",
          "reads beyond the bound after resync per run: " + f.perRun("settled beyond/" + row) + " (whole window: "
          + f.perRun("beyond/" + row) + "); worst staleness " + f.perRun("worst/" + row) + " ms", worstRun == 0,
          worstRun > 0 ? "a node served a value older than the bound after resync: a coherence bug"
              : anyRun > 0 ? "reads beyond the bound during the fault or its resync: see the notes" : "");
      if (row.startsWith(FaultsSuite.Fault.PUBSUB_KILLS.label)) {
        double ratio = f.median("ratio/" + row);
        report.goal(row.replace(" | ", ", ") + ": keep at least " + Stats.fmt(100 * KILLS_KEEP) + " % of the "
            + "no-fault throughput", Stats.fmt(100 * ratio) + " % (per run " + f.perRun("ratio/" + row) + "), "
            + Stats.fmt(f.median("flushes/" + row)) + " flushes on " + Systems.NODES + " nodes",
            ratio >= KILLS_KEEP, ratio >= KILLS_KEEP ? ""
                : "each lost connection costs more than one flush per node, or the reconnect stalls the readers");
      }
    }
    report.table("Per cell and system: the fault window against the no-fault window of the same system (median of "
        + "runs; per run in brackets)", List.of("fault", "load", "system", "ops/s no fault", "ops/s with fault",
        "ratio", "stale reads", "reads beyond " + bound + " ms", "of them after resync", "worst staleness ms", "read / write errors",
        "flushes / L2 repairs (Lamina)"), table);
    report.note(Systems.NODES + " nodes per system in one JVM, each with its own Redisson client and NATS "
        + "connection; fresh `redis-server` and `nats-server` per cell. Traffic: the simulation's Zipf("
        + w.zipfExponent() + ") over " + w.keys() + " keys, " + Stats.fmt(100 * w.writeShare()) + " % writes, "
        + w.callersPerNode() + " callers per node, paced (" + w.think().toMillis() + " ms pause after each "
        + "operation) or closed loop (no pause: " + Systems.NODES * w.callersPerNode() + " busy callers, more than "
        + "the cores). A write commits to the source, then puts the new version (Lamina with `versionOf`, "
        + "RLocalCachedMap `fastPut`, JetCache `put`); a write whose cache part fails still moved the source on and "
        + "counts as a write error.");
    report.note("Each system runs " + window.dividedBy(4).toMillis() + " ms of warm-up, a " + window.toMillis()
        + " ms window without the fault (the baseline of the ratio), then a " + window.toMillis() + " ms window "
        + "with it (the same JVM, a little warmer: a ratio slightly above 1 is that, not a gain): the fault starts " + at.toMillis() + " ms in; a stop lasts " + length.toMillis() + " ms; a "
        + "killed NATS restarts " + length.dividedBy(3).toMillis() + " ms later; pub/sub connections are killed "
        + "(`CLIENT KILL TYPE pubsub`) every 2 s to the end of the window. "
        + "The rest of the window after the fault is the resync time the reads are still judged in.");
    report.note("A read is beyond the bound when it began more than " + bound + " ms (detection time "
        + FaultsSuite.BUS.detectionTime().toMillis() + " ms + heartbeat " + FaultsSuite.BUS.heartbeatInterval()
        .toMillis() + " ms + 500 ms slack, as the fault tests state it) after a newer version's write had "
        + "returned, yet returned the older version. Every read of the fault window is judged, during the fault "
        + "and after it; \"after resync\" counts those that began more than " + FaultsSuite.RESYNC.toMillis()
        + " ms after the server came back (detection time, a heartbeat, the longest back-off of a failed write's "
        + "repair and its L2 call) — for pub/sub kills, which recur to the end, every read of the window. Lamina: staleness bound B = " + FaultsSuite.BUS.stalenessBound().toMillis() + " ms, L2 "
        + "timeout " + FaultsSuite.REMOTE_TIMEOUT.toMillis() + " ms. The peers have no such bound: it is only "
        + "the yardstick. Flushes and L2 repairs are summed over the nodes, counted in the fault window.");
    report.note("The machine is small and these runs shared it with other builds (the load average before and "
        + "after is above; above the core count means every thread waits for a core): the throughput ratios are "
        + "noisy, and a starved machine is the harder case for the bound, not the easier one.");
  }
}
