package io.lamina.warming;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.TimeGauge;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.function.ToDoubleFunction;

/**
 * Micrometer meters of a cache's warm-ups, tagged {@code cache}: they follow whatever warm-up {@code current}
 * returns (the latest one), so a restarted warm-up keeps its meters. Micrometer is an optional dependency of this
 * module: only this class needs it.
 *
 * <ul>
 *   <li>{@value #KEYS} — keys per outcome, tag {@code outcome}: {@code total}, {@code done}, {@code l2},
 *       {@code loaded}, {@code absent}, {@code failed}, {@code skipped}
 *   <li>{@value #RATE} — keys dealt with per second since the start
 *   <li>{@value #TIME_LEFT} — the estimated time to finish (0 once finished; NaN before any progress)
 *   <li>{@value #FINISHED} — 1 once the warm-up has ended (done, timed out or cancelled), else 0
 *   <li>{@value #TIMED_OUT} — 1 if it ended at its deadline
 *   <li>{@value #REFRESHES} — hot keys reloaded ahead of expiry by this node, tag {@code outcome}:
 *       {@code refreshed}, {@code failed} ({@link #bind(HotKeyRefresher, MeterRegistry)})
 * </ul>
 */
public final class WarmingMetrics {

  public static final String KEYS = "lamina.warming.keys";
  public static final String RATE = "lamina.warming.rate";
  public static final String TIME_LEFT = "lamina.warming.time.left";
  public static final String FINISHED = "lamina.warming.finished";
  public static final String TIMED_OUT = "lamina.warming.timed.out";
  public static final String REFRESHES = "lamina.warming.refreshes";

  private WarmingMetrics() {}

  /** Binds the meters of the warm-ups of cache {@code cache} to {@code registry}. */
  public static void bind(String cache, Supplier<? extends Warmup> current, MeterRegistry registry) {
    Objects.requireNonNull(cache, "cache");
    Objects.requireNonNull(current, "current");
    Objects.requireNonNull(registry, "registry");
    Tags tags = Tags.of("cache", cache);
    keys(registry, tags, current, "total", p -> p.total());
    keys(registry, tags, current, "done", WarmupProgress::done);
    keys(registry, tags, current, "l2", WarmupProgress::fromL2);
    keys(registry, tags, current, "loaded", WarmupProgress::loaded);
    keys(registry, tags, current, "absent", WarmupProgress::absent);
    keys(registry, tags, current, "failed", WarmupProgress::failed);
    keys(registry, tags, current, "skipped", WarmupProgress::skipped);
    gauge(registry, RATE, tags, current, WarmupProgress::keysPerSecond, "keys dealt with per second");
    gauge(registry, FINISHED, tags, current, p -> p.state().isFinal() ? 1 : 0, "1 once the warm-up has ended");
    gauge(registry, TIMED_OUT, tags, current, p -> p.state() == WarmupState.TIMED_OUT ? 1 : 0,
        "1 if the warm-up ended at its deadline");
    TimeGauge.builder(TIME_LEFT, current, TimeUnit.SECONDS, w -> {
          Duration left = w.get().progress().timeLeft();
          return left == null ? Double.NaN : left.toNanos() / 1e9;
        })
        .tags(tags).description("estimated time until the warm-up ends").strongReference(true).register(registry);
  }

  /** Binds the meters of one warm-up. */
  public static void bind(Warmup warmup, MeterRegistry registry) {
    Objects.requireNonNull(warmup, "warmup");
    bind(warmup.cache(), () -> warmup, registry);
  }

  /** Binds the counters of a {@link HotKeyRefresher}. */
  public static void bind(HotKeyRefresher refresher, MeterRegistry registry) {
    Objects.requireNonNull(refresher, "refresher");
    Tags tags = Tags.of("cache", refresher.cache());
    FunctionCounter.builder(REFRESHES, refresher, HotKeyRefresher::refreshed).tags(tags.and("outcome", "refreshed"))
        .description("hot keys reloaded ahead of expiry by this node").register(registry);
    FunctionCounter.builder(REFRESHES, refresher, HotKeyRefresher::failures).tags(tags.and("outcome", "failed"))
        .description("hot keys whose reload ahead of expiry failed").register(registry);
  }

  private static void keys(MeterRegistry registry, Tags tags, Supplier<? extends Warmup> current, String outcome,
      ToDoubleFunction<WarmupProgress> value) {
    gauge(registry, KEYS, tags.and("outcome", outcome), current, value, "warm-up keys by outcome");
  }

  private static void gauge(MeterRegistry registry, String name, Tags tags, Supplier<? extends Warmup> current,
      ToDoubleFunction<WarmupProgress> value, String description) {
    Gauge.builder(name, current, s -> value.applyAsDouble(s.get().progress()))
        .tags(tags).description(description).strongReference(true).register(registry);
  }
}
