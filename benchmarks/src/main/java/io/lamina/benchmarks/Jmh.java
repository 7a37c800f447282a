package io.lamina.benchmarks;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.openjdk.jmh.profile.GCProfiler;
import org.openjdk.jmh.results.BenchmarkResult;
import org.openjdk.jmh.results.IterationResult;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/** Runs JMH benchmarks from code, one fork per benchmark and run, and reads the scores back. */
public final class Jmh {

  private Jmh() {}

  /** The forked JVMs' flags: a fixed heap, and Fory's Unsafe use allowed quietly on JDK 24+. */
  public static List<String> jvmArgs() {
    List<String> args = new ArrayList<>(List.of("-Xms1g", "-Xmx1g"));
    if (Runtime.version().feature() >= 24) {
      args.add("--sun-misc-unsafe-memory-access=allow");
    }
    return args;
  }

  /**
   * Runs the benchmarks of {@code type} once (one fork each) with {@code threads} threads.
   *
   * @param params JMH parameters to override (e.g. fewer distributions in the smoke test); empty for all
   * @param methods a regular expression of the benchmark methods to run
   * @param gc whether to attach the allocation profiler ({@code -prof gc})
   */
  public static Collection<RunResult> run(Class<?> type, String methods, Scale scale, int threads,
      Map<String, String[]> params, boolean gc) throws RunnerException {
    ChainedOptionsBuilder b = new OptionsBuilder()
        .include(type.getName().replace(".", "\\.") + "\\.(" + methods + ")$")
        .forks(scale.jmhFork() ? 1 : 0)
        .warmupIterations(scale.jmhWarmups())
        .warmupTime(TimeValue.milliseconds(scale.jmhTime().toMillis()))
        .measurementIterations(scale.jmhIterations())
        .measurementTime(TimeValue.milliseconds(scale.jmhTime().toMillis()))
        .threads(threads)
        .shouldFailOnError(true)
        .jvmArgsAppend(jvmArgs().toArray(new String[0]));
    params.forEach(b::param);
    if (gc && scale.jmhFork()) {
      b.addProfiler(GCProfiler.class);
    }
    return new Runner(b.build()).run();
  }

  /** The benchmark method's simple name. */
  public static String method(RunResult r) {
    String full = r.getParams().getBenchmark();
    return full.substring(full.lastIndexOf('.') + 1);
  }

  /** A JMH parameter of the result, or "" when the benchmark has none of that name. */
  public static String param(RunResult r, String name) {
    String v = r.getParams().getParam(name);
    return v == null ? "" : v;
  }

  /** The primary score in {@code unit} per op (for average-time modes) or ops per second (throughput). */
  public static double score(RunResult r) {
    return r.getPrimaryResult().getScore();
  }

  /**
   * Bytes allocated per operation ({@code gc.alloc.rate.norm}, every thread of the fork), or NaN without the
   * profiler. JMH runs a trial's {@code @TearDown} inside the last measured iteration, so the profiler counts
   * what tearing down allocates as that iteration's operations' (closing a cache of 100k entries: about 9 MB,
   * Caffeine's {@code invalidateAll}); with more than one iteration the last is left out and the others averaged.
   */
  @SuppressWarnings("rawtypes") // JMH's own signature
  public static double bytesPerOp(RunResult r) {
    double sum = 0;
    int n = 0;
    for (BenchmarkResult fork : r.getBenchmarkResults()) {
      List<IterationResult> iterations = new ArrayList<>(fork.getIterationResults());
      int counted = iterations.size() > 1 ? iterations.size() - 1 : iterations.size();
      for (IterationResult it : iterations.subList(0, counted)) {
        Result res = allocationNorm(it.getSecondaryResults());
        if (res != null) {
          sum += res.getScore();
          n++;
        }
      }
    }
    return n == 0 ? Double.NaN : sum / n;
  }

  @SuppressWarnings("rawtypes") // JMH's own signature
  private static @Nullable Result allocationNorm(Map<String, Result> secondary) {
    for (String key : List.of("gc.alloc.rate.norm", "·gc.alloc.rate.norm")) {
      Result res = secondary.get(key);
      if (res != null) {
        return res;
      }
    }
    return null;
  }

  /** The unit JMH reports the primary score in. */
  public static String unit(RunResult r) {
    return r.getPrimaryResult().getScoreUnit();
  }
}
