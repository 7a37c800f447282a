package io.lamina;

import io.github.resilience4j.bulkhead.BulkheadConfig;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import java.time.Duration;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * How a cache protects its source of truth and itself: single-flight across the cluster, stale serving,
 * early refresh, and the circuit breakers and bulkhead that keep an outage from becoming a pile-up. Immutable;
 * build with {@link #custom()} or {@link #from(ProtectionConfig)}.
 *
 * <p>Past 300 lines because each setting's javadoc and its check stand beside it in the builder, so a setting
 * Lamina refuses is explained where it is set.
 */
public final class ProtectionConfig {

  /** What a caller does when another node's load did not land within the wait. */
  public enum WaitFallback {
    /** Load from the source itself (and serve without storing if another node still holds the lease). */
    LOAD,
    /** Fail with {@link CacheLoaderException}: the source is never called twice for one key at once. */
    FAIL
  }

  /** The L2 breaker: opens at 50 % failures over the last 20 calls (10 at least), half-opens after 5 s. */
  public static final CircuitBreakerConfig DEFAULT_REMOTE_BREAKER = CircuitBreakerConfig.custom()
      .failureRateThreshold(50)
      .slidingWindowSize(20)
      .minimumNumberOfCalls(10)
      .waitDurationInOpenState(Duration.ofSeconds(5))
      .permittedNumberOfCallsInHalfOpenState(3)
      .maxWaitDurationInHalfOpenState(Duration.ofSeconds(10))
      .build();

  /** Loads made while L2 cannot be used: at most 32 at once per cache and node, waiting up to 100 ms for a turn. */
  public static final BulkheadConfig DEFAULT_LOADER_BULKHEAD = BulkheadConfig.custom()
      .maxConcurrentCalls(32)
      .maxWaitDuration(Duration.ofMillis(100))
      .build();

  private static final ProtectionConfig DEFAULTS = custom().build();

  private final boolean loadOnCallerThread;
  private final boolean distributedSingleFlight;
  private final WaitFallback waitFallback;
  private final Duration staleWhileRevalidate;
  private final Duration staleIfError;
  private final double earlyRefreshBeta;
  private final @Nullable CircuitBreakerConfig remoteBreaker;
  private final @Nullable CircuitBreakerConfig loaderBreaker;
  private final BulkheadConfig loaderBulkhead;
  private final int missRateLimit;
  private final int hotKeys;
  private final Duration hotKeyWindow;
  private final int maxAbandonedLoads;

  private ProtectionConfig(Builder b) {
    loadOnCallerThread = b.loadOnCallerThread;
    distributedSingleFlight = b.distributedSingleFlight;
    waitFallback = b.waitFallback;
    staleWhileRevalidate = b.staleWhileRevalidate;
    staleIfError = b.staleIfError;
    earlyRefreshBeta = b.earlyRefreshBeta;
    remoteBreaker = b.remoteBreaker;
    loaderBreaker = b.loaderBreaker;
    loaderBulkhead = b.loaderBulkhead;
    missRateLimit = b.missRateLimit;
    hotKeys = b.hotKeys;
    hotKeyWindow = b.hotKeyWindow;
    maxAbandonedLoads = b.maxAbandonedLoads;
  }

  public static ProtectionConfig ofDefaults() {
    return DEFAULTS;
  }

  public static Builder custom() {
    return new Builder();
  }

  public static Builder from(ProtectionConfig base) {
    return new Builder(base);
  }

  /**
   * Whether loaders run on the calling thread (false, the default: on the cache's executor, so a loader that
   * hangs is abandoned after the load timeout). True keeps thread-bound context (a transaction, a security
   * context) for the loader, at the price that a hung loader holds its caller; waiters are released either way.
   */
  public boolean loadOnCallerThread() { return loadOnCallerThread; }

  /**
   * Whether one load per key runs across the whole cluster (through the L2 lease): a node that finds another
   * node's lease waits for its value instead of calling the source. Off by default: one load per key per node.
   */
  public boolean distributedSingleFlight() { return distributedSingleFlight; }

  /** What a waiter does when the lease holder's value did not land in time. */
  public WaitFallback waitFallback() { return waitFallback; }

  /**
   * How long past its L1 time to live an entry may still be served while one refresh runs in the background
   * (stale-while-revalidate); zero, the default, turns it off. Never for invalidated entries, never while
   * degraded, never past the hard max age.
   */
  public Duration staleWhileRevalidate() { return staleWhileRevalidate; }

  /**
   * How long past its L1 time to live an entry may be served when loading a fresh value fails (stale-if-error);
   * zero, the default, turns it off. The same limits as stale-while-revalidate apply.
   */
  public Duration staleIfError() { return staleIfError; }

  /**
   * The XFetch β of probabilistic early refresh, with stale-while-revalidate on: an entry is refreshed ahead of
   * its expiry with a probability that grows as expiry nears, scaled by how long its load took; 0 turns it off.
   */
  public double earlyRefreshBeta() { return earlyRefreshBeta; }

  /** The circuit breaker around L2 calls, or null for none. */
  public @Nullable CircuitBreakerConfig remoteBreaker() { return remoteBreaker; }

  /** The circuit breaker around the loader, or null for none (the default). */
  public @Nullable CircuitBreakerConfig loaderBreaker() { return loaderBreaker; }

  /** The bulkhead loads pass through while L2 cannot be used (its breaker is open or it fails). */
  public BulkheadConfig loaderBulkhead() { return loaderBulkhead; }

  /**
   * The most loads per second of any one key on this node; a load past it fails with
   * {@link CacheLoaderException} (never a null). Zero, the default, sets no limit. Keys are hashed onto 4,096
   * counters, so keys sharing one share its budget.
   */
  public int missRateLimit() { return missRateLimit; }

  /**
   * How many hot keys each node tracks (a heavy-hitter sketch over {@link #hotKeyWindow()}, sampling one read in
   * eight); zero, the default, tracks none and costs nothing on the hit path. Hot keys live twice as long in L1
   * (never past the hard max age or L2's copy), are reported by {@link TieredCache#hotKeys()} and metrics, and
   * are recorded in L2 every half window so warming can preload them.
   */
  public int hotKeys() { return hotKeys; }

  /** The sliding window hot keys are counted over. */
  public Duration hotKeyWindow() { return hotKeyWindow; }

  /**
   * How many loads this cache may have abandoned (past the load timeout) whose loader is still running — one that
   * ignores interrupts keeps its thread. While that many are running, new loads are refused at once with a
   * {@link CacheLoaderException} and counted in {@link ProtectionStats#loadsRejected()}, instead of each taking
   * one more thread. Default {@value #DEFAULT_MAX_ABANDONED_LOADS}.
   */
  public int maxAbandonedLoads() { return maxAbandonedLoads; }

  /** The default of {@link #maxAbandonedLoads()}. */
  public static final int DEFAULT_MAX_ABANDONED_LOADS = 16;

  @Override
  public String toString() {
    return "ProtectionConfig{loadOnCallerThread=" + loadOnCallerThread + ", distributedSingleFlight="
        + distributedSingleFlight + ", waitFallback=" + waitFallback + ", staleWhileRevalidate="
        + staleWhileRevalidate + ", staleIfError=" + staleIfError + ", earlyRefreshBeta=" + earlyRefreshBeta
        + ", remoteBreaker=" + (remoteBreaker != null) + ", loaderBreaker=" + (loaderBreaker != null)
        + ", loaderBulkhead=" + loaderBulkhead.getMaxConcurrentCalls() + ", missRateLimit=" + missRateLimit
        + ", hotKeys=" + hotKeys + ", hotKeyWindow=" + hotKeyWindow + ", maxAbandonedLoads=" + maxAbandonedLoads
        + '}';
  }

  /** Builds a {@link ProtectionConfig}; each setter rejects a bad value with an {@link InvalidSettingException}. */
  public static final class Builder {
    private boolean loadOnCallerThread;
    private boolean distributedSingleFlight;
    private WaitFallback waitFallback = WaitFallback.LOAD;
    private Duration staleWhileRevalidate = Duration.ZERO;
    private Duration staleIfError = Duration.ZERO;
    private double earlyRefreshBeta = 1.0;
    private @Nullable CircuitBreakerConfig remoteBreaker = DEFAULT_REMOTE_BREAKER;
    private @Nullable CircuitBreakerConfig loaderBreaker;
    private BulkheadConfig loaderBulkhead = DEFAULT_LOADER_BULKHEAD;
    private int missRateLimit;
    private int hotKeys;
    private Duration hotKeyWindow = Duration.ofMinutes(1);
    private int maxAbandonedLoads = DEFAULT_MAX_ABANDONED_LOADS;

    private Builder() {}

    private Builder(ProtectionConfig base) {
      loadOnCallerThread = base.loadOnCallerThread;
      distributedSingleFlight = base.distributedSingleFlight;
      waitFallback = base.waitFallback;
      staleWhileRevalidate = base.staleWhileRevalidate;
      staleIfError = base.staleIfError;
      earlyRefreshBeta = base.earlyRefreshBeta;
      remoteBreaker = base.remoteBreaker;
      loaderBreaker = base.loaderBreaker;
      loaderBulkhead = base.loaderBulkhead;
      missRateLimit = base.missRateLimit;
      hotKeys = base.hotKeys;
      hotKeyWindow = base.hotKeyWindow;
      maxAbandonedLoads = base.maxAbandonedLoads;
    }

    public Builder loadOnCallerThread(boolean onCallerThread) {
      this.loadOnCallerThread = onCallerThread;
      return this;
    }

    public Builder distributedSingleFlight(boolean enabled) {
      this.distributedSingleFlight = enabled;
      return this;
    }

    public Builder waitFallback(WaitFallback fallback) {
      this.waitFallback = Objects.requireNonNull(fallback, "protection.waitFallback");
      return this;
    }

    public Builder staleWhileRevalidate(Duration window) {
      this.staleWhileRevalidate = checkNotNegative("protection.staleWhileRevalidate", window);
      return this;
    }

    public Builder staleIfError(Duration window) {
      this.staleIfError = checkNotNegative("protection.staleIfError", window);
      return this;
    }

    public Builder earlyRefreshBeta(double beta) {
      if (!(beta >= 0 && beta <= 10)) {
        throw new InvalidSettingException("protection.earlyRefreshBeta", beta, "must be in [0, 10]");
      }
      this.earlyRefreshBeta = beta;
      return this;
    }

    /** The L2 breaker's configuration; null turns the breaker off. */
    public Builder remoteBreaker(@Nullable CircuitBreakerConfig config) {
      this.remoteBreaker = config == null ? null : checkHalfOpenBounded("protection.remoteBreaker", config);
      return this;
    }

    /** The loader breaker's configuration; null (the default) turns it off. */
    public Builder loaderBreaker(@Nullable CircuitBreakerConfig config) {
      this.loaderBreaker = config == null ? null : checkHalfOpenBounded("protection.loaderBreaker", config);
      return this;
    }

    public Builder loaderBulkhead(BulkheadConfig config) {
      this.loaderBulkhead = Objects.requireNonNull(config, "protection.loaderBulkhead");
      return this;
    }

    public Builder missRateLimit(int perSecond) {
      if (perSecond < 0) {
        throw new InvalidSettingException("protection.missRateLimit", perSecond, "must not be negative");
      }
      this.missRateLimit = perSecond;
      return this;
    }

    public Builder hotKeys(int count) {
      if (count < 0 || count > 1024) {
        throw new InvalidSettingException("protection.hotKeys", count, "must be within [0, 1024]");
      }
      this.hotKeys = count;
      return this;
    }

    public Builder hotKeyWindow(Duration window) {
      Objects.requireNonNull(window, "protection.hotKeyWindow");
      if (window.compareTo(Duration.ofSeconds(1)) < 0) {
        throw new InvalidSettingException("protection.hotKeyWindow", window, "must be at least 1 s");
      }
      this.hotKeyWindow = TieredCacheConfig.checkAtMostMax("protection.hotKeyWindow", window);
      return this;
    }

    /** See {@link ProtectionConfig#maxAbandonedLoads()}; within [0, 10,000]. */
    public Builder maxAbandonedLoads(int count) {
      if (count < 0 || count > 10_000) {
        throw new InvalidSettingException("protection.maxAbandonedLoads", count, "must be within [0, 10000]");
      }
      this.maxAbandonedLoads = count;
      return this;
    }

    public ProtectionConfig build() {
      return new ProtectionConfig(this);
    }
  }

  private static Duration checkNotNegative(String setting, Duration d) {
    Objects.requireNonNull(d, setting);
    if (d.isNegative()) {
      throw new InvalidSettingException(setting, d, "must not be negative");
    }
    return TieredCacheConfig.checkAtMostMax(setting, d);
  }

  /**
   * A breaker whose half-open state has no time bound can stick there when its trial calls never come back; ours
   * must always leave it.
   */
  private static CircuitBreakerConfig checkHalfOpenBounded(String setting, CircuitBreakerConfig config) {
    if (config.getMaxWaitDurationInHalfOpenState().isZero()) {
      throw new InvalidSettingException(setting + ".maxWaitDurationInHalfOpenState", Duration.ZERO, "must be set (0"
          + " lets the half-open state last forever if its trial calls hang)");
    }
    return config;
  }
}
