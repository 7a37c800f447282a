package io.lamina.warming;

import io.lamina.InvalidSettingException;
import java.time.Duration;
import java.util.Objects;

/**
 * How a warm-up runs: what it may read, in what batches, how fast it may call the source, and how long it may
 * take. Immutable; {@link #custom()}, {@link #from}, {@link #ofDefaults()}.
 */
public final class WarmupConfig {

  public static final int DEFAULT_BATCH_SIZE = 500;
  public static final int DEFAULT_SOURCE_RATE_LIMIT = 1_000;
  public static final int DEFAULT_CONCURRENCY = 2;
  public static final int DEFAULT_MAX_KEYS = 100_000;
  public static final Duration DEFAULT_DEADLINE = Duration.ofMinutes(2);
  public static final Duration DEFAULT_PROGRESS_INTERVAL = Duration.ofSeconds(5);

  private static final WarmupConfig DEFAULTS = custom().build();

  private final WarmupMode mode;
  private final int batchSize;
  private final int sourceRateLimit;
  private final int concurrency;
  private final int maxKeys;
  private final Duration deadline;
  private final Duration progressInterval;

  private WarmupConfig(Builder b) {
    mode = b.mode;
    batchSize = b.batchSize;
    sourceRateLimit = b.sourceRateLimit;
    concurrency = b.concurrency;
    maxKeys = b.maxKeys;
    deadline = b.deadline;
    progressInterval = b.progressInterval;
  }

  /** The defaults: L2 then the source, batches of 500, 1,000 source keys/s, 2 threads, 2 minutes. */
  public static WarmupConfig ofDefaults() {
    return DEFAULTS;
  }

  /** A builder starting from the defaults. */
  public static Builder custom() {
    return new Builder();
  }

  /** A builder starting from {@code base}. */
  public static Builder from(WarmupConfig base) {
    return new Builder(Objects.requireNonNull(base, "base"));
  }

  /** What the warm-up may read. */
  public WarmupMode mode() { return mode; }

  /** Keys per pipelined L2 round trip, and at most per bulk load from the source. */
  public int batchSize() { return batchSize; }

  /**
   * Keys per second this warm-up may ask the source for (a bulk load of n keys counts n), on this instance. A
   * Resilience4j {@code RateLimiter} enforces it in slices of about 20 ms, which also bound a source batch.
   */
  public int sourceRateLimit() { return sourceRateLimit; }

  /** Batches in flight at once, L2 and source alike. */
  public int concurrency() { return concurrency; }

  /** The most keys one warm-up plans; keys past it (the least important ones) are dropped and counted. */
  public int maxKeys() { return maxKeys; }

  /** How long a warm-up may run: past it, it stops with a warning and reports what it did. Never a hung start. */
  public Duration deadline() { return deadline; }

  /** How often a running warm-up logs its progress. */
  public Duration progressInterval() { return progressInterval; }

  @Override
  public String toString() {
    return "WarmupConfig{mode=" + mode + ", batchSize=" + batchSize + ", sourceRateLimit=" + sourceRateLimit
        + ", concurrency=" + concurrency + ", maxKeys=" + maxKeys + ", deadline=" + deadline
        + ", progressInterval=" + progressInterval + '}';
  }

  /**
   * Builds a {@link WarmupConfig}; each setter rejects a bad value with an {@link InvalidSettingException} whose
   * {@linkplain InvalidSettingException#setting() setting} is the setter's name under {@code warming.}, such as
   * {@code warming.batchSize}, so an integration can report it under its own property.
   */
  public static final class Builder {
    private WarmupMode mode = WarmupMode.L2_THEN_SOURCE;
    private int batchSize = DEFAULT_BATCH_SIZE;
    private int sourceRateLimit = DEFAULT_SOURCE_RATE_LIMIT;
    private int concurrency = DEFAULT_CONCURRENCY;
    private int maxKeys = DEFAULT_MAX_KEYS;
    private Duration deadline = DEFAULT_DEADLINE;
    private Duration progressInterval = DEFAULT_PROGRESS_INTERVAL;

    private Builder() {}

    private Builder(WarmupConfig base) {
      mode = base.mode;
      batchSize = base.batchSize;
      sourceRateLimit = base.sourceRateLimit;
      concurrency = base.concurrency;
      maxKeys = base.maxKeys;
      deadline = base.deadline;
      progressInterval = base.progressInterval;
    }

    public Builder mode(WarmupMode mode) {
      this.mode = Objects.requireNonNull(mode, "warming.mode");
      return this;
    }

    public Builder batchSize(int keys) {
      this.batchSize = within("warming.batchSize", keys, 1, 10_000);
      return this;
    }

    public Builder sourceRateLimit(int keysPerSecond) {
      this.sourceRateLimit = within("warming.sourceRateLimit", keysPerSecond, 1, 1_000_000);
      return this;
    }

    public Builder concurrency(int batches) {
      this.concurrency = within("warming.concurrency", batches, 1, 64);
      return this;
    }

    public Builder maxKeys(int keys) {
      this.maxKeys = within("warming.maxKeys", keys, 1, 10_000_000);
      return this;
    }

    public Builder deadline(Duration deadline) {
      Objects.requireNonNull(deadline, "warming.deadline");
      if (deadline.compareTo(Duration.ofMillis(10)) < 0) {
        throw new InvalidSettingException("warming.deadline", deadline, "must be at least 10 ms (a warm-up that"
            + " must never delay start-up is a warm-up not run: disable it instead)");
      }
      this.deadline = deadline;
      return this;
    }

    public Builder progressInterval(Duration interval) {
      Objects.requireNonNull(interval, "warming.progressInterval");
      if (interval.compareTo(Duration.ofMillis(100)) < 0) {
        throw new InvalidSettingException("warming.progressInterval", interval, "must be at least 100 ms");
      }
      this.progressInterval = interval;
      return this;
    }

    public WarmupConfig build() {
      return new WarmupConfig(this);
    }

    private static int within(String setting, int value, int min, int max) {
      if (value < min || value > max) {
        throw new InvalidSettingException(setting, value, "must be within [" + min + ", " + max + "]");
      }
      return value;
    }
  }
}
