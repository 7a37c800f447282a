package io.lamina.spring.autoconfigure;

import io.lamina.warming.WarmupMode;
import java.time.Duration;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.NestedConfigurationProperty;

/**
 * {@code lamina.caches.<name>.warming.*}: how one cache is warmed at start-up. Unset values fall back to
 * {@code lamina.defaults.warming.*}, then to {@code WarmupConfig.DEFAULT_*}. Keys come from {@code keys}, from the
 * hot keys running instances recorded in Redis ({@code recorded-hot-keys}), and from LaminaWarmupSource beans.
 */
public class WarmingProperties {

  /** Whether the cache is warmed when the application starts. Default false. */
  private @Nullable Boolean enabled;

  /**
   * What the warm-up may read: l2-then-source (Redis first, then the source for what Redis lacks, through a
   * LaminaWarmupSource bean's loader) or l2-only (copy what Redis holds, never touch the source). Default
   * l2-then-source.
   */
  private @Nullable WarmupMode mode;

  /** Keys to warm, as ids the cache's key converter writes (with the standard one, typed: {@code l:42} for the Long 42). */
  private @Nullable List<String> keys;

  /** How many of the hot keys recorded in Redis by running instances to warm, hottest first. Default 0 (none). */
  private @Nullable Integer recordedHotKeys;

  /** Keys per pipelined Redis round trip, and at most per source batch. Default 500. */
  private @Nullable Integer batchSize;

  /** Keys per second this instance's warm-up may ask the source for. Default 1000. */
  private @Nullable Integer sourceRateLimit;

  /** Batches in flight at once. Default 2. */
  private @Nullable Integer concurrency;

  /** The most keys one warm-up plans. Default 100000. */
  private @Nullable Integer maxKeys;

  /** How long the warm-up may run; past it, it stops with a warning (and readiness opens). Default 2m. */
  private @Nullable Duration deadline;

  /** How often a running warm-up logs its progress. Default 5s. */
  private @Nullable Duration progressInterval;

  /**
   * Whether the application reports readiness REFUSING_TRAFFIC until this cache's warm-up has ended (done or past
   * its deadline). Default false.
   */
  private @Nullable Boolean readiness;

  /** Scheduled refresh of the keys that stay hot, ahead of their Redis expiry (one instance per key). */
  @NestedConfigurationProperty
  private final Refresh refresh = new Refresh();

  public Refresh getRefresh() {
    return refresh;
  }

  public @Nullable Boolean getEnabled() {
    return enabled;
  }

  public void setEnabled(@Nullable Boolean enabled) {
    this.enabled = enabled;
  }

  public @Nullable WarmupMode getMode() {
    return mode;
  }

  public void setMode(@Nullable WarmupMode mode) {
    this.mode = mode;
  }

  public @Nullable List<String> getKeys() {
    return keys;
  }

  public void setKeys(@Nullable List<String> keys) {
    this.keys = keys;
  }

  public @Nullable Integer getRecordedHotKeys() {
    return recordedHotKeys;
  }

  public void setRecordedHotKeys(@Nullable Integer recordedHotKeys) {
    this.recordedHotKeys = recordedHotKeys;
  }

  public @Nullable Integer getBatchSize() {
    return batchSize;
  }

  public void setBatchSize(@Nullable Integer batchSize) {
    this.batchSize = batchSize;
  }

  public @Nullable Integer getSourceRateLimit() {
    return sourceRateLimit;
  }

  public void setSourceRateLimit(@Nullable Integer sourceRateLimit) {
    this.sourceRateLimit = sourceRateLimit;
  }

  public @Nullable Integer getConcurrency() {
    return concurrency;
  }

  public void setConcurrency(@Nullable Integer concurrency) {
    this.concurrency = concurrency;
  }

  public @Nullable Integer getMaxKeys() {
    return maxKeys;
  }

  public void setMaxKeys(@Nullable Integer maxKeys) {
    this.maxKeys = maxKeys;
  }

  public @Nullable Duration getDeadline() {
    return deadline;
  }

  public void setDeadline(@Nullable Duration deadline) {
    this.deadline = deadline;
  }

  public @Nullable Duration getProgressInterval() {
    return progressInterval;
  }

  public void setProgressInterval(@Nullable Duration progressInterval) {
    this.progressInterval = progressInterval;
  }

  public @Nullable Boolean getReadiness() {
    return readiness;
  }

  public void setReadiness(@Nullable Boolean readiness) {
    this.readiness = readiness;
  }

  /**
   * {@code lamina.caches.<name>.warming.refresh.*}: this instance's hot keys (protection.hot-keys must be set) are
   * reloaded when their Redis copy nears expiry, by the one instance that wins the key's refresh lease, with the
   * loader of a LaminaWarmupSource bean. A key nobody reads stops being refreshed.
   */
  public static class Refresh {

    /** Whether hot keys are refreshed ahead of expiry. Default false. */
    private @Nullable Boolean enabled;

    /** How often this instance looks at its hot keys. Default 30s. */
    private @Nullable Duration period;

    /** How long before its Redis expiry a hot key is reloaded; longer than period, shorter than l2.ttl. Default 2m. */
    private @Nullable Duration ahead;

    /** Source keys per second the refresh may load, on this instance. Default 100. */
    private @Nullable Integer rateLimit;

    public @Nullable Boolean getEnabled() {
      return enabled;
    }

    public void setEnabled(@Nullable Boolean enabled) {
      this.enabled = enabled;
    }

    public @Nullable Duration getPeriod() {
      return period;
    }

    public void setPeriod(@Nullable Duration period) {
      this.period = period;
    }

    public @Nullable Duration getAhead() {
      return ahead;
    }

    public void setAhead(@Nullable Duration ahead) {
      this.ahead = ahead;
    }

    public @Nullable Integer getRateLimit() {
      return rateLimit;
    }

    public void setRateLimit(@Nullable Integer rateLimit) {
      this.rateLimit = rateLimit;
    }
  }
}
