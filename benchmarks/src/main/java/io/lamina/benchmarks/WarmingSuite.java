package io.lamina.benchmarks;

import io.lamina.KeyCodecs;
import io.lamina.TieredCache;
import io.lamina.TieredCacheConfig;
import io.lamina.ValueCodecs;
import io.lamina.redis.RedissonRemoteTier;
import io.lamina.warming.CacheWarmer;
import io.lamina.warming.WarmupConfig;
import io.lamina.warming.WarmupMode;
import io.lamina.warming.WarmupProgress;
import io.lamina.warming.WarmupState;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;

/**
 * Warming a fresh instance's L1 with N keys: from L2 (Redis already holds them) and from the source (Redis holds
 * nothing), by a {@link CacheWarmer} (pipelined L2 batches, bulk loads) against the naive way — a loop of
 * {@code get()} over the same keys on another fresh instance — in the same run, on the same servers.
 */
final class WarmingSuite implements Suite {

  static final Duration SOURCE_CALL = Duration.ofMillis(1).dividedBy(10);
  static final String WARMER = "CacheWarmer";
  static final String NAIVE = "loop of get()";

  @Override
  public String name() {
    return "warming";
  }

  /** A source that costs {@link #SOURCE_CALL} per call, single key or bulk, and counts calls and keys. */
  static final class Source {
    final LongAdder calls = new LongAdder();
    final LongAdder keys = new LongAdder();

    String load(String key) {
      LockSupport.parkNanos(SOURCE_CALL.toNanos());
      calls.increment();
      keys.increment();
      return value(key);
    }

    Map<String, String> loadAll(Set<? extends String> ids) {
      LockSupport.parkNanos(SOURCE_CALL.toNanos());
      calls.increment();
      keys.add(ids.size());
      Map<String, String> m = new HashMap<>();
      ids.forEach(k -> m.put(k, value(k)));
      return m;
    }

    static String value(String key) {
      return "product " + key + " ".repeat(80); // about 100 bytes, like a small row
    }
  }

  @Override
  public SuiteReport run(Context ctx) throws Exception {
    Scale scale = ctx.scale();
    int n = scale.smoke() ? 500 : scale.quick() ? 20_000 : 100_000;
    SuiteReport report = new SuiteReport(name(), "Warming: a fresh instance's L1 from L2 and from the source", scale);
    Runs f = new Runs();
    List<String> keys = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      keys.add("p" + i);
    }
    for (int run = 0; run < scale.runs(); run++) {
      ctx.log("warming run " + (run + 1) + "/" + scale.runs() + ", " + n + " keys");
      var perRun = report.addRun();
      try (Servers servers = Servers.start(false)) {
        servers.describe(report);
        for (String from : List.of("L2", "source")) {
          for (String system : List.of(WARMER, NAIVE)) {
            String cacheName = "w" + run + "-" + from.charAt(0) + "-" + (system.equals(WARMER) ? "w" : "n");
            Source source = new Source();
            if (from.equals("L2")) {
              try (TieredCache<String, String> filler = cache(servers, cacheName, source)) {
                for (int i = 0; i < n; i += 1_000) {
                  filler.getAll(keys.subList(i, Math.min(n, i + 1_000)));
                }
              }
              source.calls.reset();
              source.keys.reset();
            }
            try (TieredCache<String, String> fresh = cache(servers, cacheName, source)) {
              long start = System.nanoTime();
              if (system.equals(WARMER)) {
                WarmupProgress end = CacheWarmer.newBuilder(fresh).keys(keys)
                    .config(WarmupConfig.custom().mode(from.equals("L2") ? WarmupMode.L2_ONLY : WarmupMode.L2_THEN_SOURCE)
                        .batchSize(500).concurrency(2).sourceRateLimit(1_000_000).deadline(Duration.ofMinutes(10))
                        .progressInterval(Duration.ofSeconds(30)).build())
                    .build().start().await();
                if (end.state() != WarmupState.DONE || end.failed() > 0 || end.done() != n) {
                  throw new IllegalStateException("warm-up did not finish cleanly: " + end.describe());
                }
              } else {
                for (String k : keys) {
                  fresh.get(k);
                }
              }
              double seconds = (System.nanoTime() - start) / 1e9;
              long inL1 = fresh.stats().l1().size();
              String key = from + "/" + system;
              f.add("seconds/" + key, seconds);
              f.add("keys per second/" + key, n / seconds);
              f.add("source calls/" + key, source.calls.sum());
              f.add("source keys/" + key, source.keys.sum());
              perRun.putObject(key).put("seconds", Stats.round3(seconds)).put("sourceCalls", source.calls.sum())
                  .put("sourceKeys", source.keys.sum()).put("l1Size", inL1);
              ctx.log(key + ": " + Stats.fmt(seconds) + " s, " + source.calls.sum() + " source calls, L1 " + inL1);
            }
          }
          f.add("speed-up/" + from, f.all("seconds/" + from + "/" + NAIVE).get(run)
              / f.all("seconds/" + from + "/" + WARMER).get(run));
        }
      }
    }
    summarise(ctx, report, f, n);
    return report;
  }

  private static TieredCache<String, String> cache(Servers servers, String name, Source source) {
    return TieredCache.<String, String>newBuilder(name)
        .config(TieredCacheConfig.custom().namespace("warming").l1MaximumSize(200_000).build())
        .remote(RedissonRemoteTier.of(servers.redisson()))
        .keyCodec(KeyCodecs.strings()).valueCodec(ValueCodecs.utf8())
        .loader(source::load).bulkLoader(source::loadAll)
        .build();
  }

  private static void summarise(Context ctx, SuiteReport report, Runs f, int n) {
    List<List<String>> rows = new ArrayList<>();
    Map<String, List<Double>> series = new LinkedHashMap<>();
    for (String system : List.of(WARMER, NAIVE)) {
      List<Double> bars = new ArrayList<>();
      for (String from : List.of("L2", "source")) {
        String key = from + "/" + system;
        rows.add(List.of("from " + from, system, Stats.fmt(f.median("seconds/" + key)), f.perRun("seconds/" + key),
            Stats.fmt(f.median("keys per second/" + key)), Stats.fmt(f.median("source calls/" + key))));
        bars.add(f.median("seconds/" + key));
        report.summary().putObject(key).put("seconds", Stats.round3(f.median("seconds/" + key)))
            .put("sourceCalls", Stats.round3(f.median("source calls/" + key)));
      }
      series.put(system, bars);
    }
    report.table("Time to warm " + n + " keys into a fresh instance's L1 (median of runs)",
        List.of("from", "how", "seconds", "per run", "keys/s", "source calls"), rows);
    for (String from : List.of("L2", "source")) {
      double speedUp = f.median("speed-up/" + from);
      report.summary().put("speedUp" + from, Stats.round3(speedUp));
      report.goal("warming from " + from + " beats a loop of get() over the same keys",
          Stats.fmt(speedUp) + "× faster (median of per-run ratios: " + f.perRun("speed-up/" + from) + ")",
          speedUp > 1, "");
    }
    Charts.bars(ctx.plot("warming-time.png"), "Time to warm " + n + " keys into L1", "seconds",
        List.of("from L2", "from the source"), series, false);
    report.plot("Time to warm a fresh instance", "warming-time.png");
    report.note("One instance (its own Redisson client) warms " + n + " keys of about 100 bytes into an empty L1. From "
        + "L2: another instance filled Redis first; the warmer runs in L2-only mode. From the source: Redis holds "
        + "nothing; the warmer reads L2 first, then bulk-loads what is missing. Batches of 500, 2 in flight, no rate "
        + "limit (1,000,000 keys/s), so this is the warmer's own speed; a real warm-up is meant to be slowed down.");
    report.note("The source costs " + SOURCE_CALL.toNanos() / 1000 + " µs per call (parked), one key or a bulk of 500"
        + " alike. The naive loop calls get() key by key on a second fresh instance: an L2 read with a lease, then"
        + " (from the source) one source call and one fill per key. Both fill through the same guarded paths.");
  }
}
