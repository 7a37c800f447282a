package io.lamina.benchmarks.simulate;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.lamina.benchmarks.Charts;
import io.lamina.benchmarks.Context;
import io.lamina.benchmarks.Latency;
import io.lamina.benchmarks.Runs;
import io.lamina.benchmarks.Scale;
import io.lamina.benchmarks.Servers;
import io.lamina.benchmarks.Stats;
import io.lamina.benchmarks.Suite;
import io.lamina.benchmarks.SuiteReport;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The multi-node load simulator: the same Zipf read/write workload, for the same time, against no cache, Redis
 * only, Lamina (NATS and Redis Pub/Sub buses), Redisson's {@code RLocalCachedMap} and JetCache, with a simulated
 * source of truth; throughput, latency and hit ratio per tier, source calls, and stale reads checked against the
 * source. Paced first, then in a {@link ClosedLoop closed loop} on the same servers.
 */
public final class SimulateSuite implements Suite {

  static final Duration SOURCE_READ = Duration.ofMillis(2);
  static final Duration SOURCE_WRITE = Duration.ofMillis(3);
  static final String NO_CACHE = "no cache";
  static final String REDIS_ONLY = "Redis only";

  /** Builds one system on a run's servers. */
  @FunctionalInterface
  interface Factory {
    SimSystem create(Servers servers, SourceOfTruth source) throws Exception;
  }

  @Override
  public String name() {
    return "simulate";
  }

  @Override
  public SuiteReport run(Context ctx) throws Exception {
    Scale scale = ctx.scale();
    SuiteReport report = new SuiteReport(name(), "Multi-node load simulation", scale);
    Workload workload = new Workload(scale.smoke() ? 1_000 : 10_000, 0.99, 0.05, 4, Duration.ofMillis(1));
    Duration window = scale.window(1.0);
    List<Factory> factories = List.of(
        (s, src) -> Systems.noCache(src),
        Systems::redisOnly,
        (s, src) -> Systems.lamina(s, src, true),
        (s, src) -> Systems.lamina(s, src, false),
        Systems::redissonLocalCachedMap,
        JetCacheSystem::new);
    Runs f = new Runs();
    Runs closed = new Runs();
    List<String> closedRows = new ArrayList<>();
    Duration closedWindow = scale.window(0.5);
    List<String> names = new ArrayList<>();
    Map<String, Latency> lastReads = new LinkedHashMap<>();
    for (int run = 0; run < scale.runs(); run++) {
      ctx.log("simulate run " + (run + 1) + "/" + scale.runs());
      ObjectNode perRun = report.addRun();
      try (Servers servers = Servers.start(true)) {
        servers.describe(report);
        for (Factory factory : factories) {
          SourceOfTruth source = new SourceOfTruth(workload.keys(), SOURCE_READ, SOURCE_WRITE);
          try (SimSystem system = factory.create(servers, source)) {
            String n = system.name();
            if (run == 0) {
              names.add(n);
            }
            ctx.log("  " + n);
            system.ready();
            workload.run(system, source, Systems.NODES, window.dividedBy(4), 100 + run);
            Map<String, Long> countersBefore = system.counters();
            Workload.Outcome o = workload.run(system, source, Systems.NODES, window, 200 + run);
            record(f, perRun, n, o, countersBefore, system.counters());
            lastReads.put(n, o.allReads);
          }
        }
        for (String n : names) {
          double perRead = f.all("source per read/" + n).get(run);
          f.add("reduction vs no cache/" + n, 1 - perRead / f.all("source per read/" + NO_CACHE).get(run));
          f.add("source calls vs Redis only/" + n, perRead / f.all("source per read/" + REDIS_ONLY).get(run));
        }
        ClosedLoop.run(ctx, servers, workload, closedWindow, run, perRun, closed, closedRows);
      }
    }
    SimulateReport.summarise(ctx, report, f, names, lastReads, workload, window);
    ClosedLoop.summarise(report, closed, closedRows, workload, closedWindow);
    return report;
  }

  private static void record(Runs f, ObjectNode perRun, String n, Workload.Outcome o, Map<String, Long> before,
      Map<String, Long> after) {
    double seconds = o.elapsedNanos / 1e9;
    long reads = o.totalReads();
    long writes = o.writes.sum();
    f.add("throughput/" + n, (reads + writes) / seconds);
    f.add("reads/" + n, reads);
    f.add("read p50/" + n, o.allReads.micros(50));
    f.add("read p99/" + n, o.allReads.micros(99));
    f.add("read p99.9/" + n, o.allReads.micros(99.9));
    f.add("write p50/" + n, o.writeLatency.micros(50));
    for (Tier t : Tier.values()) {
      f.add("share " + t + "/" + n, reads == 0 ? 0 : (double) o.reads(t) / reads);
      if (o.reads(t) > 0) {
        f.add(t + " p50/" + n, o.latency(t).micros(50));
        f.add(t + " p99/" + n, o.latency(t).micros(99));
      }
    }
    f.add("source calls/" + n, o.sourceReads);
    f.add("source per read/" + n, reads == 0 ? 0 : (double) o.sourceReads / reads);
    f.add("stale/" + n, o.stale.sum());
    f.add("stale per million/" + n, reads == 0 ? 0 : o.stale.sum() * 1e6 / reads);
    f.add("worst staleness ms/" + n, o.worstStalenessNanos.get() / 1e6);
    f.add("stale p99 ms/" + n, o.stale.sum() == 0 ? 0 : o.staleness.micros(99) / 1000);
    ObjectNode s = perRun.putObject(n);
    s.put("seconds", Stats.round3(seconds)).put("reads", reads).put("writes", writes)
        .put("sourceReads", o.sourceReads).put("staleReads", o.stale.sum())
        .put("worstStalenessMillis", Stats.round3(o.worstStalenessNanos.get() / 1e6));
    s.set("readLatency", o.allReads.summary());
    s.set("writeLatency", o.writeLatency.summary());
    ObjectNode tiers = s.putObject("tiers");
    for (Tier t : Tier.values()) {
      tiers.putObject(t.name()).put("reads", o.reads(t)).set("latency", o.latency(t).summary());
    }
    after.forEach((k, v) -> {
      long delta = v - before.getOrDefault(k, 0L);
      s.put(k, delta);
      f.add(k + "/" + n, delta);
    });
  }
}
