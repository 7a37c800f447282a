package io.lamina.benchmarks;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.lamina.KeyCodecs;
import io.lamina.TieredCache;
import io.lamina.TieredCacheBuilder;
import io.lamina.TieredCacheConfig;
import io.lamina.TieredCacheStats;
import io.lamina.redis.RedissonRemoteTier;
import io.lamina.spi.RemoteStore;
import io.lamina.spi.RemoteStoreSpec;
import io.lamina.spi.ValueCodec;
import io.lettuce.core.KeyValue;
import io.lettuce.core.api.sync.RedisCommands;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import org.jspecify.annotations.Nullable;
import org.redisson.api.RBuckets;
import org.redisson.api.RScript;
import org.redisson.api.RedissonClient;
import org.redisson.client.codec.ByteArrayCodec;

/**
 * L2 hits (L1 miss, L2 hit) through {@code TieredCache} against raw Redisson {@code RBucket.get} and raw Lettuce
 * {@code GET}, each followed by the same decode; {@code getAll(100)} against one raw {@code MGET} of the same
 * keys; a {@code put} with {@code versionOf} against a raw {@code RBucket.set} of the same encoded value. Latency
 * percentiles on HdrHistogram and throughput against the number of callers. Steps between a raw GET and Lamina's
 * L2 hit (a Lua {@code GET} for reference, Lamina's remote read alone), and between a raw SET and Lamina's
 * versioned put (a Lua {@code SET}, the versioned-put script alone), are timed with them, so the report can say
 * where the extra time goes.
 *
 * <p>Past 400 lines because a third of it is the report: each goal with what explains it when it is missed,
 * measured in the same run (the steps, Redis's own time per call), written beside the measurement.
 */
final class L2Suite implements Suite {

  private static final double GET_GOAL = 1.1;
  private static final double GET_ALL_GOAL = 1.2;
  private static final double ASYNC_GOAL = 1.1;
  private static final double PUT_GOAL = 1.2;
  private static final int BULK = 100;
  private static final int[] THREADS = {1, 2, 4, 8};
  private static final String GET = "Lamina get (L2 hit)";
  private static final String RAW_GET = "Redisson RBucket.get + decode";
  private static final String LUA_GET = "Redisson EVAL of a one-line GET + decode";
  private static final String SCRIPT = "Lamina's remote read alone (RemoteStore.read: one HMGET, no decode)";
  private static final String PUT = "Lamina put with versionOf";
  private static final String RAW_SET = "Redisson RBucket.set + encode";
  private static final String LUA_SET = "Redisson EVAL of a one-line SET + encode";
  private static final String PUT_SCRIPT = "Lamina's versioned-put script alone (RemoteStore.putVersioned + encode)";

  @Override
  public String name() {
    return "l2";
  }

  @Override
  public SuiteReport run(Context ctx) throws Exception {
    Scale scale = ctx.scale();
    SuiteReport report = new SuiteReport(name(), "L2 hit: TieredCache against raw Redisson and raw Lettuce", scale);
    int keys = scale.smoke() ? 500 : 10_000;
    ValueCodec<Product> codec = Codecs.fory();
    Runs figures = new Runs();
    Map<String, Latency> lastGet = Map.of();
    Map<String, Latency> lastSteps = Map.of();
    Map<String, Latency> lastBulk = Map.of();
    Map<String, Latency> lastPut = Map.of();
    Map<String, Latency> lastPutSteps = Map.of();
    for (int run = 0; run < scale.runs(); run++) {
      ctx.log("l2 run " + (run + 1) + "/" + scale.runs());
      var perRun = report.addRun();
      try (Servers servers = Servers.start(false)) {
        servers.describe(report);
        LongAdder loads = new LongAdder();
        RedissonClient laminaClient = servers.redisson();
        // An L1 of one entry: with 10k keys read at random, practically every read misses L1 and hits L2.
        TieredCache<Long, Product> lamina = reader(laminaClient, codec, loads).build();
        servers.onClose(lamina);
        fill(servers, codec, keys);
        RedissonClient redisson = servers.redisson();
        RedisCommands<byte[], byte[]> lettuce = servers.lettuce().sync();

        Map<String, Load.Op> get = new LinkedHashMap<>();
        get.put("Lamina get (L2 hit)", r -> lamina.get((long) r.nextInt(keys)));
        get.put("Lamina getAsync (L2 hit)", r -> lamina.getAsync((long) r.nextInt(keys)).join());
        get.put(RAW_GET, r -> {
          byte[] b = redisson.<byte[]>getBucket(rawKey(r.nextInt(keys)), ByteArrayCodec.INSTANCE).get();
          codec.decode(b, 0, b.length);
        });
        get.put("Lettuce GET + decode", r -> {
          byte[] b = lettuce.get(rawKeyBytes(r.nextInt(keys)));
          codec.decode(b, 0, b.length);
        });
        TieredCacheConfig c = lamina.config();
        RemoteStore store = RedissonRemoteTier.of(redisson).open(new RemoteStoreSpec(c.namespace(), "l2",
            c.schemaVersion(), List.of(), c.tombstoneTtl()));
        RScript script = redisson.getScript(ByteArrayCodec.INSTANCE);
        Map<String, Load.Op> steps = new LinkedHashMap<>();
        steps.put(LUA_GET, r -> {
          byte[] b = script.eval(RScript.Mode.READ_ONLY, "return redis.call('GET', KEYS[1])",
              RScript.ReturnType.VALUE, List.of(rawKey(r.nextInt(keys))));
          codec.decode(b, 0, b.length);
        });
        steps.put(SCRIPT, r -> store.read(KeyCodecs.longs().toId((long) r.nextInt(keys)), null, 0)
            .toCompletableFuture().join());
        RBuckets buckets = redisson.getBuckets(ByteArrayCodec.INSTANCE);
        Map<String, Load.Op> bulk = new LinkedHashMap<>();
        bulk.put("Lamina getAll(100)", r -> lamina.getAll(randomKeys(r, keys)));
        bulk.put("Redisson RBuckets.get(100) + decode", r -> {
          Map<String, byte[]> m = buckets.get(randomRawKeys(r, keys));
          m.values().forEach(b -> codec.decode(b, 0, b.length));
        });
        bulk.put("Lettuce MGET(100) + decode", r -> {
          for (KeyValue<byte[], byte[]> kv : lettuce.mget(randomRawKeyBytes(r, keys))) {
            byte[] b = kv.getValue();
            codec.decode(b, 0, b.length);
          }
        });
        // A write of a newer version every time (each put's version is above every earlier one), so every put
        // stores: Lamina's put-versioned script and L1 store against a plain SET of the same encoded value.
        TieredCache<Long, Product> writer = writer(laminaClient, codec).build();
        servers.onClose(writer);
        RemoteStore putStore = RedissonRemoteTier.of(redisson).open(new RemoteStoreSpec(c.namespace(), "l2put-alone",
            c.schemaVersion(), List.of(), c.tombstoneTtl()));
        long putTtlMillis = c.l2Ttl().toMillis();
        AtomicLong versions = new AtomicLong();
        Map<String, Load.Op> put = new LinkedHashMap<>();
        put.put(PUT, r -> {
          long k = r.nextInt(keys);
          writer.put(k, Product.of(k, versions.incrementAndGet()));
        });
        put.put(RAW_SET, r -> {
          int k = r.nextInt(keys);
          redisson.<byte[]>getBucket("put:" + k, ByteArrayCodec.INSTANCE)
              .set(codec.encode(Product.of(k, versions.incrementAndGet())));
        });
        Map<String, Load.Op> putSteps = new LinkedHashMap<>();
        putSteps.put(LUA_SET, r -> {
          int k = r.nextInt(keys);
          byte[] value = codec.encode(Product.of(k, versions.incrementAndGet()));
          script.eval(RScript.Mode.READ_WRITE, "redis.call('SET', KEYS[1], ARGV[1]) return 1",
              RScript.ReturnType.LONG, List.of("put:" + k), (Object) value);
        });
        putSteps.put(PUT_SCRIPT, r -> {
          long k = r.nextInt(keys);
          long v = versions.incrementAndGet();
          putStore.putVersioned(KeyCodecs.longs().toId(k), v, codec.encode(Product.of(k, v)), putTtlMillis)
              .toCompletableFuture().join();
        });
        put.putAll(putSteps);
        for (Load.Op op : put.values()) {
          Load.warm(op, scale.ops(0.05), 1);
        }
        Map<String, Load.Op> single = new LinkedHashMap<>(get);
        single.putAll(steps);
        for (Load.Op op : single.values()) {
          Load.warm(op, scale.ops(0.1), 1);
        }
        for (Load.Op op : bulk.values()) {
          Load.warm(op, scale.ops(0.01), 1);
        }
        TieredCacheStats before = lamina.stats();
        long loadsBefore = loads.sum();
        Map<String, Latency> singleLatency = Load.interleaved(single, scale.ops(1), 500, 11 + run);
        lastGet = new LinkedHashMap<>(singleLatency);
        lastGet.keySet().retainAll(get.keySet());
        lastSteps = new LinkedHashMap<>(singleLatency);
        lastSteps.keySet().retainAll(steps.keySet());
        // Redis's own time per call, from INFO commandstats: where getAll's time goes on the server.
        lettuce.configResetstat();
        lastBulk = Load.interleaved(bulk, scale.ops(0.05), 50, 13 + run);
        Map<String, Double> serverMicros = microsPerCall(lettuce.info("commandstats"));
        serverMicros.forEach((command, micros) -> {
          if (command.equals("evalsha") || command.equals("mget") || command.equals("hmget")) {
            figures.add("server/" + command, micros);
            perRun.put("Redis µs per " + command + " call during getAll(100)", Stats.round3(micros));
          }
        });
        Map<String, Latency> putLatency = Load.interleaved(put, scale.ops(0.5), 500, 17 + run);
        lastPut = new LinkedHashMap<>(putLatency);
        lastPut.keySet().removeAll(putSteps.keySet());
        lastPutSteps = new LinkedHashMap<>(putLatency);
        lastPutSteps.keySet().retainAll(putSteps.keySet());
        TieredCacheStats after = lamina.stats();
        long l1Hits = after.l1().hits() - before.l1().hits();
        long l2Hits = after.l2().hits() - before.l2().hits();
        figures.add("l2HitShare", (double) l2Hits / Math.max(1, l1Hits + l2Hits));
        figures.add("loads", loads.sum() - loadsBefore);
        record(figures, perRun, lastGet);
        record(figures, perRun, lastSteps);
        step(figures, perRun, "step", "Lua: EVAL of a one-line GET instead of GET", lastSteps.get(LUA_GET),
            lastGet.get(RAW_GET));
        step(figures, perRun, "step",
            "Lamina's remote read (an HMGET of the entry's hash, its fields checked) instead of a GET",
            lastSteps.get(SCRIPT), lastGet.get(RAW_GET));
        step(figures, perRun, "step", "Lamina around the remote read: breaker, key, decode, L1 reservation and fill",
            lastGet.get(GET), lastSteps.get(SCRIPT));
        record(figures, perRun, lastBulk);
        record(figures, perRun, lastPut);
        record(figures, perRun, lastPutSteps);
        step(figures, perRun, "putStep", "Lua: EVAL of a one-line SET instead of SET", lastPutSteps.get(LUA_SET),
            lastPut.get(RAW_SET));
        step(figures, perRun, "putStep",
            "Lamina's versioned-put script (HMGET, version check, HSET, PEXPIRE, lease removed) instead of a Lua SET",
            lastPutSteps.get(PUT_SCRIPT), lastPutSteps.get(LUA_SET));
        step(figures, perRun, "putStep", "Lamina around the script: breaker, key, envelope, L1 store", lastPut.get(PUT),
            lastPutSteps.get(PUT_SCRIPT));
        ratio(figures, perRun, "put p50 ratio to Redisson", lastPut, PUT, RAW_SET, 50);
        ratio(figures, perRun, "get p50 ratio to Redisson", lastGet, "Lamina get (L2 hit)",
            "Redisson RBucket.get + decode", 50);
        ratio(figures, perRun, "get p99 ratio to Redisson", lastGet, "Lamina get (L2 hit)",
            "Redisson RBucket.get + decode", 99);
        ratio(figures, perRun, "getAsync p50 ratio to get", lastGet, "Lamina getAsync (L2 hit)",
            "Lamina get (L2 hit)", 50);
        ratio(figures, perRun, "get p50 ratio to Lettuce", lastGet, "Lamina get (L2 hit)", "Lettuce GET + decode", 50);
        ratio(figures, perRun, "getAll p50 ratio to MGET", lastBulk, "Lamina getAll(100)",
            "Lettuce MGET(100) + decode", 50);
        ratio(figures, perRun, "getAll p99 ratio to MGET", lastBulk, "Lamina getAll(100)",
            "Lettuce MGET(100) + decode", 99);
        for (int threads : scale.smoke() ? new int[] {1, 2} : THREADS) {
          for (Map.Entry<String, Load.Op> s : get.entrySet()) {
            double t = Load.throughput(s.getValue(), threads, scale.window(0.1));
            figures.add("throughput/" + s.getKey() + "/" + threads, t);
            perRun.put("throughput " + s.getKey() + " x" + threads, Stats.round3(t));
          }
        }
      }
    }
    summarise(ctx, report, figures, lastGet, lastSteps, lastBulk, lastPut, lastPutSteps);
    return report;
  }

  /** The writing cache: versionOf (each put stores), its default L1, no bus. */
  private static TieredCacheBuilder<Long, Product> writer(RedissonClient client, ValueCodec<Product> codec) {
    return TieredCache.<Long, Product>newBuilder("l2put")
        .remote(RedissonRemoteTier.of(client))
        .keyCodec(KeyCodecs.longs())
        .valueCodec(codec)
        .versionOf(Product::version);
  }

  /** The reading cache: an L1 of one entry, so that practically every read of 10k keys misses it and hits L2. */
  private static TieredCacheBuilder<Long, Product> reader(RedissonClient client, ValueCodec<Product> codec,
      LongAdder loads) {
    return TieredCache.<Long, Product>newBuilder("l2")
        .config(TieredCacheConfig.custom().l1MaximumSize(1).build())
        .remote(RedissonRemoteTier.of(client))
        .keyCodec(KeyCodecs.longs())
        .valueCodec(codec)
        .loader(k -> {
          loads.increment();
          return Product.of(k, 1);
        });
  }

  @SuppressWarnings("UndefinedEquals") // distinct key arrays, only iterated by MSET
  private static void fill(Servers servers, ValueCodec<Product> codec, int keys) {
    RedissonClient fillerClient = servers.redisson();
    TieredCache<Long, Product> filler = TieredCache.<Long, Product>newBuilder("l2")
        .remote(RedissonRemoteTier.of(fillerClient))
        .keyCodec(KeyCodecs.longs())
        .valueCodec(codec)
        .bulkLoader(ks -> {
          Map<Long, Product> m = new LinkedHashMap<>();
          ks.forEach(k -> m.put(k, Product.of(k, 1)));
          return m;
        })
        .build();
    RedisCommands<byte[], byte[]> lettuce = servers.lettuce().sync();
    List<Long> chunk = new ArrayList<>();
    Map<byte[], byte[]> raw = new LinkedHashMap<>();
    for (long k = 0; k < keys; k++) {
      chunk.add(k);
      raw.put(rawKeyBytes((int) k), codec.encode(Product.of(k, 1)));
      if (chunk.size() == 500 || k == keys - 1) {
        filler.getAll(chunk);
        lettuce.mset(raw);
        chunk.clear();
        raw.clear();
      }
    }
    filler.close();
  }

  private static void record(Runs figures, ObjectNode perRun,
      Map<String, Latency> latencies) {
    latencies.forEach((name, l) -> {
      perRun.set(name, l.summary());
      figures.add("p50/" + name, l.micros(50));
      figures.add("p99/" + name, l.micros(99));
      figures.add("p99.9/" + name, l.micros(99.9));
      figures.add("mean/" + name, l.histogram().getMean() / 1000.0);
    });
  }

  /**
   * The p50 of {@code system} less that of {@code baseline}, in µs: one step of an L2 hit's ({@code kind} "step") or
   * a versioned put's ("putStep") extra time.
   */
  private static void step(Runs figures, ObjectNode perRun, String kind, String name,
      @Nullable Latency system, @Nullable Latency baseline) {
    if (system == null || baseline == null) {
      return;
    }
    double d = system.micros(50) - baseline.micros(50);
    figures.add(kind + "/" + name, d);
    perRun.put("p50 " + kind + " µs: " + name, Stats.round3(d));
  }

  /** The table rows of the figures under {@code prefix}: each step's per-run values and median. */
  private static List<List<String>> stepRows(Runs f, String prefix) {
    List<List<String>> rows = new ArrayList<>();
    for (String k : f.keys()) {
      if (k.startsWith(prefix)) {
        rows.add(List.of(k.substring(prefix.length()), f.perRun(k), Stats.fmt(f.median(k))));
      }
    }
    return rows;
  }

  private static void ratio(Runs figures, ObjectNode perRun, String name,
      Map<String, Latency> latencies, String system, String baseline, double percentile) {
    Latency s = latencies.get(system);
    Latency b = latencies.get(baseline);
    if (s != null && b != null) {
      double r = s.micros(percentile) / b.micros(percentile);
      figures.add(name, r);
      perRun.put(name, Stats.round3(r));
    }
  }

  private static void summarise(Context ctx, SuiteReport report, Runs f, Map<String, Latency> lastGet,
      Map<String, Latency> lastSteps, Map<String, Latency> lastBulk, Map<String, Latency> lastPut,
      Map<String, Latency> lastPutSteps) {
    List<List<String>> rows = new ArrayList<>();
    for (String name : concat(lastGet.keySet(), lastSteps.keySet(), lastBulk.keySet(), lastPut.keySet(),
        lastPutSteps.keySet())) {
      rows.add(List.of(name, Stats.fmt(f.median("p50/" + name)), Stats.fmt(f.median("p99/" + name)),
          Stats.fmt(f.median("p99.9/" + name)), Stats.fmt(f.median("mean/" + name))));
      report.summary().putObject(name).put("p50Micros", Stats.round3(f.median("p50/" + name)))
          .put("p99Micros", Stats.round3(f.median("p99/" + name)));
    }
    report.table("Latency in µs, one caller (median of runs)", List.of("operation", "p50", "p99", "p99.9", "mean"),
        rows);
    List<List<String>> ratioRows = new ArrayList<>();
    for (String k : List.of("get p50 ratio to Redisson", "get p99 ratio to Redisson", "getAsync p50 ratio to get",
        "get p50 ratio to Lettuce",
        "getAll p50 ratio to MGET", "getAll p99 ratio to MGET", "put p50 ratio to Redisson")) {
      ratioRows.add(List.of(k, f.perRun(k), Stats.fmt(f.median(k))));
      report.summary().put(k, Stats.round3(f.median(k)));
    }
    report.table("Ratios, computed within each run", List.of("ratio", "per run", "median"), ratioRows);
    report.table("Where an L2 hit's extra time goes: differences of p50 in µs, one caller, within each run",
        List.of("step", "per run", "median"), stepRows(f, "step/"));
    report.table("Where a versioned put's extra time goes: differences of p50 in µs, one caller, within each run",
        List.of("step", "per run", "median"), stepRows(f, "putStep/"));
    List<List<String>> tput = new ArrayList<>();
    Map<String, double[][]> lines = new LinkedHashMap<>();
    for (String name : lastGet.keySet()) {
      List<String> row = new ArrayList<>(List.of(name));
      List<Double> xs = new ArrayList<>();
      List<Double> ys = new ArrayList<>();
      for (int t : THREADS) {
        String key = "throughput/" + name + "/" + t;
        row.add(f.has(key) ? Stats.fmt(f.median(key)) : "–");
        if (f.has(key)) {
          xs.add((double) t);
          ys.add(f.median(key));
        }
      }
      tput.add(row);
      lines.put(name, new double[][] {xs.stream().mapToDouble(Double::doubleValue).toArray(),
          ys.stream().mapToDouble(Double::doubleValue).toArray()});
    }
    report.table("Throughput in ops/s by number of closed-loop callers (median of runs)",
        List.of("operation", "1", "2", "4", "8"), tput);
    double share = f.median("l2HitShare");
    report.summary().put("l2HitShare", Stats.round3(share)).put("loaderCalls", f.median("loads"));
    ratioGoal(report, f, "L2 hit p50 ≤ " + GET_GOAL + "× raw Redisson RBucket.get + decode", GET_GOAL,
        "get p50 ratio to Redisson", "Lamina get (L2 hit)", "Redisson RBucket.get + decode",
        "an L2 hit in Lamina is one HMGET of the entry's hash (state, version, expiry and payload, checked on the "
            + "client), then an L1 reservation and fill; RBucket.get is a plain GET. The steps table splits the "
            + "difference between the remote read and the rest");
    ratioGoal(report, f, "getAsync L2 hit p50 ≤ " + ASYNC_GOAL + "× the synchronous get, completing on Redisson's "
        + "I/O thread", ASYNC_GOAL, "getAsync p50 ratio to get", "Lamina getAsync (L2 hit)", "Lamina get (L2 hit)",
        "the caller joins a future completed on Redisson's event loop: one thread hand-off more than get, which "
            + "waits on that same future");
    ratioGoal(report, f, "getAll(100) p50 ≤ " + GET_ALL_GOAL + "× one raw MGET of the same keys + decode",
        GET_ALL_GOAL, "getAll p50 ratio to MGET", "Lamina getAll(100)", "Lettuce MGET(100) + decode",
        "getAll reads the 100 entries' fields (state, version, expiry, payload: a hash each) with 100 pipelined "
            + "HMGETs, checked on the client; a plain MGET cannot read a hash. Redis spent "
            + Stats.fmt(f.median("server/hmget")) + " µs per HMGET (" + Stats.fmt(100 * f.median("server/hmget"))
            + " µs for the 100) against " + Stats.fmt(f.median("server/mget"))
            + " µs per MGET of 100 keys (INFO commandstats, this run); then the client parses 700 fields instead "
            + "of 100 values, and 100 L1 reservations and fills follow");
    ratioGoal(report, f, "put with versionOf p50 ≤ " + PUT_GOAL + "× raw Redisson RBucket.set + encode", PUT_GOAL,
        "put p50 ratio to Redisson", "Lamina put with versionOf", "Redisson RBucket.set + encode",
        "a versioned put is one Lua script that compares the source version with the highest the key has seen and "
            + "revokes any lease, then an L1 store; SET overwrites blindly. The put steps table splits the "
            + "difference between the script in Redis and the rest");
    Map<String, List<double[]>> curves = new LinkedHashMap<>();
    lastGet.forEach((k, v) -> curves.put(k, Latency.curve(v.histogram())));
    Charts.percentiles(ctx.plot("l2-get-latency.png"), "L2 hit latency, one caller (last run)", curves);
    report.plot("L2 hit latency distribution", "l2-get-latency.png");
    Map<String, List<double[]>> bulkCurves = new LinkedHashMap<>();
    lastBulk.forEach((k, v) -> bulkCurves.put(k, Latency.curve(v.histogram())));
    Charts.percentiles(ctx.plot("l2-getall-latency.png"), "getAll(100) latency, one caller (last run)", bulkCurves);
    report.plot("getAll(100) latency distribution", "l2-getall-latency.png");
    Charts.lines(ctx.plot("l2-throughput.png"), "L2 hit throughput by callers", "callers", "ops/s", lines);
    report.plot("L2 hit throughput by number of callers", "l2-throughput.png");
    int size = Codecs.fory().encode(Product.of(1, 1)).length;
    report.note("10k keys holding the same ~1 KB value encoded with Fory (" + size
        + " bytes): Lamina's entries written by a second Lamina node, raw copies under plain keys. Each baseline "
        + "decodes with the same ForyValueCodec, so the ratios isolate the tier.");
    report.note("Lamina's cache has an L1 of one entry so that reads miss L1: share of reads answered by L2 "
        + Stats.fmt(share * 100) + " %, loader calls during measurement " + Stats.fmt(f.median("loads"))
        + ". An L2 hit therefore includes Lamina's L1 reservation and fill.");
    report.note("Steps: each is timed in the same turns as the systems above. The Lua GET, for reference, reads "
        + "the raw copy; Lamina's remote read alone is `RemoteStore.read` of the Redis tier without a lease token "
        + "(a value entry takes the same path with one: one HMGET, no script), its reply parsed into an entry but "
        + "not decoded (Fory decodes this value in about a microsecond: codec suite). Caffeine's upkeep after the "
        + "L1 fill (evicting the one-entry L1's previous entry) runs on the reading thread: handed to a "
        + "`ForkJoinPool.commonPool()` worker, as before, it cost an L2 hit and a put about 30 µs more at p50 "
        + "here. A JFR CPU profile (`jdk.ExecutionSample`) of a loop of L2 hits finds the calling thread's time "
        + "mostly in Redisson building and sending the command and in Fory's decode; Lamina's own frames (breaker, "
        + "key, envelope, L1 reservation and fill) take a small share; no thread hop beyond Redisson's own event "
        + "loop.");
    report.note("Latency: one caller, each system in turns of 500 operations (getAll: 50) so noise hits all alike; "
        + "throughput: closed-loop callers for " + ctx.scale().window(0.1).toMillis() + " ms per point. Redisson "
        + "clients have 32 connections; Lettuce shares one connection between callers, as it is meant to.");
    report.note("put: a second Lamina cache with versionOf (the product's version, one higher on every put, so "
        + "every put stores) and its default L1, no bus; the baseline SETs the same encoded value under plain "
        + "keys. Both build the value and encode it inside the measured call. Put steps, in the same turns: a Lua "
        + "SET of the raw key; `RemoteStore.putVersioned` of the encoded value alone (without Lamina's envelope, "
        + "breaker or L1).");
  }

  /** A goal on the ratio of two p50 latencies, with what explains it when it is not met. */
  private static void ratioGoal(SuiteReport report, Runs f, String goal, double limit, String ratioKey,
      String system, String baseline, String caveat) {
    double ratio = f.median(ratioKey);
    report.goal(goal, Stats.fmt(f.median("p50/" + system)) + " µs vs " + Stats.fmt(f.median("p50/" + baseline))
        + " µs: " + Stats.fmt(ratio) + "×", ratio <= limit, ratio <= limit ? "" : caveat);
  }

  /** {@code usec_per_call} of each command in an {@code INFO commandstats} reply, by lower-case command name. */
  static Map<String, Double> microsPerCall(String commandstats) {
    Map<String, Double> out = new LinkedHashMap<>();
    for (String line : commandstats.split("\\r?\\n")) {
      int colon = line.indexOf(':');
      int at = line.indexOf("usec_per_call=");
      if (line.startsWith("cmdstat_") && colon > 0 && at > 0) {
        int end = line.indexOf(',', at);
        out.put(line.substring("cmdstat_".length(), colon),
            Double.parseDouble(line.substring(at + "usec_per_call=".length(), end < 0 ? line.length() : end)));
      }
    }
    return out;
  }

  @SafeVarargs
  private static List<String> concat(Collection<String>... sets) {
    List<String> all = new ArrayList<>();
    for (Collection<String> s : sets) {
      all.addAll(s);
    }
    return all;
  }

  private static String rawKey(int k) {
    return "raw:" + k;
  }

  private static byte[] rawKeyBytes(int k) {
    return rawKey(k).getBytes(StandardCharsets.UTF_8);
  }

  private static List<Long> randomKeys(SplittableRandom r, int keys) {
    List<Long> ks = new ArrayList<>(BULK);
    for (int i = 0; i < BULK; i++) {
      ks.add((long) r.nextInt(keys));
    }
    return ks;
  }

  private static String[] randomRawKeys(SplittableRandom r, int keys) {
    String[] ks = new String[BULK];
    for (int i = 0; i < BULK; i++) {
      ks[i] = rawKey(r.nextInt(keys));
    }
    return ks;
  }

  private static byte[][] randomRawKeyBytes(SplittableRandom r, int keys) {
    byte[][] ks = new byte[BULK][];
    for (int i = 0; i < BULK; i++) {
      ks[i] = rawKeyBytes(r.nextInt(keys));
    }
    return ks;
  }
}
