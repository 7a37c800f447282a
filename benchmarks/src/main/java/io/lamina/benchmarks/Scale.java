package io.lamina.benchmarks;

import java.time.Duration;

/**
 * How long a suite measures. {@link #FULL} is what the report quotes; {@link #QUICK} keeps each suite within
 * three minutes (one run); {@link #SMOKE} only proves that a suite still runs (the integration test uses it).
 *
 * @param name the scale's name, recorded in the results
 * @param runs independent runs per suite (fresh JVM forks for JMH, fresh servers and clients otherwise); the
 *     report quotes their median
 * @param jmhWarmups JMH warm-up iterations per fork
 * @param jmhIterations JMH measurement iterations per fork
 * @param jmhTime the length of one JMH iteration
 * @param jmhFork whether JMH forks a JVM per benchmark (off only for the smoke test)
 * @param ops operations per system in a latency measurement (divided as each suite needs)
 * @param window the length of one throughput or simulation window
 */
public record Scale(String name, int runs, int jmhWarmups, int jmhIterations, Duration jmhTime, boolean jmhFork,
    int ops, Duration window) {

  /** What the report quotes: two runs, long enough for stable medians; {@code all} within an hour. */
  public static final Scale FULL = new Scale("full", 2, 2, 3, Duration.ofMillis(800), true, 20_000,
      Duration.ofSeconds(12));

  /** One short run: each suite within three minutes; a check, not a figure to quote. */
  public static final Scale QUICK = new Scale("quick", 1, 1, 1, Duration.ofMillis(400), true, 4_000,
      Duration.ofSeconds(4));

  /** One tiny in-process run: proves the suite works, measures nothing worth quoting. */
  public static final Scale SMOKE = new Scale("smoke", 1, 0, 1, Duration.ofMillis(100), false, 200,
      Duration.ofMillis(600));

  /** Whether this is the smoke scale. */
  public boolean smoke() {
    return name.equals(SMOKE.name);
  }

  /** Whether this is the full scale. */
  public boolean full() {
    return name.equals(FULL.name);
  }

  /** Whether this is the quick scale. */
  public boolean quick() {
    return name.equals(QUICK.name);
  }

  /** The same scale with a different number of runs. */
  public Scale withRuns(int n) {
    if (n < 1) {
      throw new IllegalArgumentException("runs must be at least 1, but was " + n);
    }
    return new Scale(name, n, jmhWarmups, jmhIterations, jmhTime, jmhFork, ops, window);
  }

  /** The same scale with at least {@code n} JMH warm-up iterations. */
  public Scale withWarmupsAtLeast(int n) {
    return new Scale(name, runs, Math.max(n, jmhWarmups), jmhIterations, jmhTime, jmhFork, ops, window);
  }

  /** {@code window} scaled by {@code factor}, at least 100 ms. */
  public Duration window(double factor) {
    return Duration.ofMillis(Math.max(100, (long) (window.toMillis() * factor)));
  }

  /** {@code ops} scaled by {@code factor}, at least 20. */
  public int ops(double factor) {
    return Math.max(20, (int) (ops * factor));
  }
}
