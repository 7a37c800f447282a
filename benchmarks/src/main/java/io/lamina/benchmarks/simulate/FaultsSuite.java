package io.lamina.benchmarks.simulate;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.lamina.BusConfig;
import io.lamina.benchmarks.Context;
import io.lamina.benchmarks.Runs;
import io.lamina.benchmarks.Scale;
import io.lamina.benchmarks.Servers;
import io.lamina.benchmarks.Stats;
import io.lamina.benchmarks.Suite;
import io.lamina.benchmarks.SuiteReport;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The fault matrix: three nodes under the simulation's traffic, paced and in a closed loop, while a server fails —
 * Redis stopped (SIGSTOP) while writes go on, Redis Pub/Sub connections killed every 2 s, NATS stopped, NATS killed
 * (-9) and restarted, core NATS and JetStream. Each cell first runs without the fault on the same system, so its
 * throughput is read against its own no-fault run, then with it; every read is judged against the writes that had
 * returned before it began. The peers ({@code RLocalCachedMap}, JetCache) run in the cells whose fault reaches them.
 */
public final class FaultsSuite implements Suite {

  /** Heartbeats and detection time of the fault tests; B is the default five heartbeats. */
  static final BusConfig BUS = new BusConfig(Duration.ofMillis(100), Duration.ofMillis(500), 512,
      Duration.ofNanos(200_000));
  /** The bound a read is judged by: detection time plus a heartbeat plus slack, as the fault tests state it. */
  static final Duration BOUND = BUS.detectionTime().plus(BUS.heartbeatInterval()).plus(Duration.ofMillis(500));
  /** How long an L2 call may take: a stopped Redis fails the call within this. */
  static final Duration REMOTE_TIMEOUT = Duration.ofMillis(300);
  private static final Duration KILL_EVERY = Duration.ofSeconds(2);
  /**
   * The time a node may take to resync after a server comes back: the detection time, a heartbeat, and the
   * longest back-off of a failed write's repair (1 s) plus its L2 call.
   */
  static final Duration RESYNC = BUS.detectionTime().plus(BUS.heartbeatInterval()).plus(Duration.ofSeconds(1))
      .plus(REMOTE_TIMEOUT);

  /** What goes wrong, and when. */
  enum Fault {
    REDIS_STOP("Redis stopped (SIGSTOP)"),
    PUBSUB_KILLS("Redis Pub/Sub connections killed every " + KILL_EVERY.toSeconds() + " s"),
    NATS_STOP("NATS stopped (SIGSTOP)"),
    NATS_KILL("NATS killed (-9) and restarted");

    final String label;

    Fault(String label) {
      this.label = label;
    }

    /**
     * Injects the fault {@code at} into a window of {@code window}; a stop or outage lasts {@code length}. While
     * it lasts, and for {@link #RESYNC} after it ends, {@code settledFrom} lies ahead of the reads; pub/sub kills
     * recur to the window's end, so every read of their window is judged as settled.
     */
    void inject(Servers s, Duration at, Duration length, Duration window, AtomicLong settledFrom)
        throws InterruptedException {
      TimeUnit.NANOSECONDS.sleep(at.toNanos());
      if (this != PUBSUB_KILLS) {
        settledFrom.set(Long.MAX_VALUE);
      }
      try {
        inject(s, at, length, window);
      } finally {
        if (this != PUBSUB_KILLS) {
          settledFrom.set(System.nanoTime() + RESYNC.toNanos());
        }
      }
    }

    private void inject(Servers s, Duration at, Duration length, Duration window) throws InterruptedException {
      switch (this) {
        case REDIS_STOP -> {
          s.redis().pause();
          try {
            TimeUnit.NANOSECONDS.sleep(length.toNanos());
          } finally {
            s.redis().resume();
          }
        }
        case PUBSUB_KILLS -> {
          long end = System.nanoTime() + window.minus(at).toNanos();
          while (System.nanoTime() < end) {
            s.redis().command("CLIENT", "KILL", "TYPE", "pubsub");
            TimeUnit.NANOSECONDS.sleep(Math.min(KILL_EVERY.toNanos(), Math.max(0, end - System.nanoTime())));
          }
        }
        case NATS_STOP -> {
          s.natsServer().pause();
          try {
            TimeUnit.NANOSECONDS.sleep(length.toNanos());
          } finally {
            s.natsServer().resume();
          }
        }
        case NATS_KILL -> {
          s.natsServer().kill();
          TimeUnit.NANOSECONDS.sleep(length.dividedBy(3).toNanos());
          s.natsServer().restart();
        }
      }
    }
  }

  /**
   * One row of the matrix: a fault and the systems it reaches.
   *
   * @param fault what goes wrong
   * @param jetStream whether NATS runs with JetStream (the Lamina NATS bus then uses it)
   * @param systems the systems under the fault
   */
  record Cell(Fault fault, boolean jetStream, List<String> systems) {

    String label() {
      return fault.label + (fault == Fault.NATS_STOP || fault == Fault.NATS_KILL
          ? (jetStream ? ", JetStream" : ", core NATS") : "");
    }
  }

  private static final String LAMINA_NATS = "Lamina (NATS bus)";
  private static final String LAMINA_REDIS = "Lamina (Redis bus)";
  private static final String RLCM = "RLocalCachedMap";
  private static final String JETCACHE = "JetCache (syncLocal)";

  private static final List<Cell> CELLS = List.of(
      new Cell(Fault.REDIS_STOP, false, List.of(LAMINA_NATS, LAMINA_REDIS, RLCM, JETCACHE)),
      new Cell(Fault.PUBSUB_KILLS, false, List.of(LAMINA_REDIS, RLCM, JETCACHE)),
      new Cell(Fault.NATS_STOP, false, List.of(LAMINA_NATS)),
      new Cell(Fault.NATS_STOP, true, List.of(LAMINA_NATS)),
      new Cell(Fault.NATS_KILL, false, List.of(LAMINA_NATS)),
      new Cell(Fault.NATS_KILL, true, List.of(LAMINA_NATS)));

  @Override
  public String name() {
    return "faults";
  }

  @Override
  public SuiteReport run(Context ctx) throws Exception {
    Scale scale = ctx.scale();
    SuiteReport report = new SuiteReport(name(), "Faults: coherence and throughput while servers fail", scale);
    Workload paced = new Workload(scale.smoke() ? 1_000 : 10_000, 0.99, 0.05, 4, Duration.ofMillis(1),
        Workload.Write.PUT, BOUND);
    Duration window = scale.full() ? Duration.ofSeconds(10) : scale.window(0.8);
    Duration at = Duration.ofMillis(window.toMillis() * 15 / 100);
    Duration length = scale.full() ? Duration.ofSeconds(3) : Duration.ofMillis(window.toMillis() * 3 / 10);
    Runs f = new Runs();
    List<String> rows = new ArrayList<>();
    for (int run = 0; run < scale.runs(); run++) {
      ctx.log("faults run " + (run + 1) + "/" + scale.runs());
      ObjectNode perRun = report.addRun();
      for (Cell cell : CELLS) {
        for (String system : cell.systems()) {
          for (boolean closed : new boolean[] {false, true}) {
            Workload w = closed ? paced.thinking(Duration.ZERO) : paced;
            String row = cell.label() + " | " + (closed ? "closed loop" : "paced") + " | "
                + (system.equals(LAMINA_NATS) && cell.jetStream() ? "Lamina (NATS JetStream bus)" : system);
            if (run == 0) {
              rows.add(row);
            }
            ctx.log("  " + row);
            try (Servers servers = Servers.start(true, cell.jetStream())) {
              if (run == 0 && rows.size() == 1) {
                servers.describe(report);
              }
              SourceOfTruth source = new SourceOfTruth(w.keys(), SimulateSuite.SOURCE_READ,
                  SimulateSuite.SOURCE_WRITE);
              try (SimSystem s = create(system, cell, servers, source)) {
                s.ready();
                w.run(s, source, Systems.NODES, window.dividedBy(4), 500 + run);
                Workload.Outcome base = w.run(s, source, Systems.NODES, window, 600 + run);
                Map<String, Long> before = s.counters();
                AtomicLong settledFrom = new AtomicLong(Long.MIN_VALUE);
                CompletableFuture<Void> fault = CompletableFuture.runAsync(() -> {
                  try {
                    cell.fault().inject(servers, at, length, window, settledFrom);
                  } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                  }
                });
                Workload.Outcome o = w.run(s, source, Systems.NODES, window, 700 + run, settledFrom::get);
                fault.get(window.toSeconds() + 60, TimeUnit.SECONDS);
                record(f, perRun, row, base, o, before, s.counters());
              }
            }
          }
        }
      }
    }
    FaultsReport.summarise(report, f, rows, paced, window, at, length);
    return report;
  }

  private static SimSystem create(String system, Cell cell, Servers servers, SourceOfTruth source)
      throws Exception {
    return switch (system) {
      case LAMINA_NATS -> Systems.lamina(servers, source, new Systems.LaminaSetup(
          cell.jetStream() ? Systems.Bus.JETSTREAM : Systems.Bus.NATS, BUS, true, REMOTE_TIMEOUT));
      case LAMINA_REDIS -> Systems.lamina(servers, source,
          new Systems.LaminaSetup(Systems.Bus.REDIS, BUS, true, REMOTE_TIMEOUT));
      case RLCM -> Systems.redissonLocalCachedMap(servers, source);
      case JETCACHE -> new JetCacheSystem(servers, source);
      default -> throw new IllegalArgumentException("no system " + system);
    };
  }

  private static void record(Runs f, ObjectNode perRun, String row, Workload.Outcome base, Workload.Outcome o,
      Map<String, Long> before, Map<String, Long> after) {
    double baseOps = (base.totalReads() + base.writes.sum()) / (base.elapsedNanos / 1e9);
    double ops = (o.totalReads() + o.writes.sum()) / (o.elapsedNanos / 1e9);
    f.add("base ops/" + row, baseOps);
    f.add("ops/" + row, ops);
    f.add("ratio/" + row, ops / baseOps);
    f.add("stale/" + row, o.stale.sum());
    f.add("beyond/" + row, o.beyondBound.sum());
    f.add("settled beyond/" + row, o.beyondBoundSettled.sum());
    f.add("base beyond/" + row, base.beyondBound.sum());
    f.add("worst/" + row, o.worstStalenessNanos.get() / 1e6);
    f.add("read errors/" + row, o.readErrors.sum());
    f.add("write errors/" + row, o.writeErrors.sum());
    ObjectNode n = perRun.putObject(row);
    n.put("noFaultOpsPerSecond", Stats.round3(baseOps)).put("opsPerSecond", Stats.round3(ops))
        .put("noFaultBeyondBound", base.beyondBound.sum())
        .put("reads", o.totalReads()).put("writes", o.writes.sum()).put("staleReads", o.stale.sum())
        .put("beyondBound", o.beyondBound.sum()).put("beyondBoundAfterResync", o.beyondBoundSettled.sum())
        .put("readErrors", o.readErrors.sum())
        .put("writeErrors", o.writeErrors.sum())
        .put("worstStalenessMillis", Stats.round3(o.worstStalenessNanos.get() / 1e6));
    after.forEach((k, v) -> {
      long delta = v - before.getOrDefault(k, 0L);
      n.put(k, delta);
      f.add(k + "/" + row, delta);
    });
  }
}
