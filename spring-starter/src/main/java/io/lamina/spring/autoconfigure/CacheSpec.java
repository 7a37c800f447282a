package io.lamina.spring.autoconfigure;

import io.lamina.RemoteFailureMode;
import io.lamina.WriteStrategy;
import io.lamina.spring.PutMode;
import java.time.Duration;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.NestedConfigurationProperty;

/**
 * The settings of one cache, under {@code lamina.defaults} and {@code lamina.caches.<name>}: unset values fall
 * back to lamina.defaults, then to Lamina's own defaults ({@code TieredCacheConfig.DEFAULT_*}). How they become a
 * cache's configuration is {@link CacheSpecMapper}'s job. (Longer than most files: every property is a documented
 * field with accessors, which Boot's configuration processor turns into IDE metadata.)
 */
public class CacheSpec {

  private final L1 l1 = new L1();

  private final L2 l2 = new L2();

  private final Protection protection = new Protection();

  /** How the cache is warmed at start-up. */
  @NestedConfigurationProperty
  private final WarmingProperties warming = new WarmingProperties();

  /** How long a negative result (the method returned null) is cached, in both tiers. Default 30s. */
  private @Nullable Duration negativeTtl;

  /** How long Redis keeps a tombstone left by a write or eviction. Default 10m. */
  private @Nullable Duration tombstoneTtl;

  /** The longest a load may take, and the longest a caller waits for another caller's load. Default 10s. */
  private @Nullable Duration loadTimeout;

  /** The longest a call waits for Redis before it counts as unavailable. Default 1s. */
  private @Nullable Duration remoteTimeout;

  /** The longest a write-through writer may take (the lifetime of its intent). Default 10s. */
  private @Nullable Duration writeTimeout;

  /**
   * While the instance cannot prove it hears every invalidation (degraded), L1 entries younger than this are
   * still served; 0 (the default) bypasses L1. At most lamina.bus.detection-time.
   */
  private @Nullable Duration degradedMaxAge;

  /**
   * How the cache relates to its source. Strategies that call a writer (write-through, write-around,
   * write-behind) need one from a LaminaCacheCustomizer. Default cache-aside.
   */
  private @Nullable WriteStrategy writeStrategy;

  /** What a read does when Redis cannot be reached: bypass (load without caching) or fail. Default bypass. */
  private @Nullable RemoteFailureMode remoteFailureMode;

  /** The longest key id accepted, in UTF-8 bytes. Default 16384. */
  private @Nullable Integer maxKeyBytes;

  /** The largest encoded value accepted for Redis, in bytes. Default 1048576. */
  private @Nullable Integer maxValueBytes;

  /** How values are encoded for Redis. Default fory. */
  private @Nullable Codec codec;

  /**
   * The classes the cache holds (and the non-JDK classes inside them). Fory accepts only these besides JDK
   * types; JSON reads values as the single class given.
   */
  private @Nullable List<Class<?>> valueTypes;

  /** What @CachePut and Cache.put do: invalidate (default) or store. */
  private @Nullable PutMode putMode;

  public L1 getL1() {
    return l1;
  }

  public L2 getL2() {
    return l2;
  }

  public Protection getProtection() {
    return protection;
  }

  public WarmingProperties getWarming() {
    return warming;
  }

  public @Nullable Duration getNegativeTtl() {
    return negativeTtl;
  }

  public void setNegativeTtl(@Nullable Duration negativeTtl) {
    this.negativeTtl = negativeTtl;
  }

  public @Nullable Duration getTombstoneTtl() {
    return tombstoneTtl;
  }

  public void setTombstoneTtl(@Nullable Duration tombstoneTtl) {
    this.tombstoneTtl = tombstoneTtl;
  }

  public @Nullable Duration getLoadTimeout() {
    return loadTimeout;
  }

  public void setLoadTimeout(@Nullable Duration loadTimeout) {
    this.loadTimeout = loadTimeout;
  }

  public @Nullable Duration getRemoteTimeout() {
    return remoteTimeout;
  }

  public void setRemoteTimeout(@Nullable Duration remoteTimeout) {
    this.remoteTimeout = remoteTimeout;
  }

  public @Nullable Duration getWriteTimeout() {
    return writeTimeout;
  }

  public void setWriteTimeout(@Nullable Duration writeTimeout) {
    this.writeTimeout = writeTimeout;
  }

  public @Nullable Duration getDegradedMaxAge() {
    return degradedMaxAge;
  }

  public void setDegradedMaxAge(@Nullable Duration degradedMaxAge) {
    this.degradedMaxAge = degradedMaxAge;
  }

  public @Nullable WriteStrategy getWriteStrategy() {
    return writeStrategy;
  }

  public void setWriteStrategy(@Nullable WriteStrategy writeStrategy) {
    this.writeStrategy = writeStrategy;
  }

  public @Nullable RemoteFailureMode getRemoteFailureMode() {
    return remoteFailureMode;
  }

  public void setRemoteFailureMode(@Nullable RemoteFailureMode remoteFailureMode) {
    this.remoteFailureMode = remoteFailureMode;
  }

  public @Nullable Integer getMaxKeyBytes() {
    return maxKeyBytes;
  }

  public void setMaxKeyBytes(@Nullable Integer maxKeyBytes) {
    this.maxKeyBytes = maxKeyBytes;
  }

  public @Nullable Integer getMaxValueBytes() {
    return maxValueBytes;
  }

  public void setMaxValueBytes(@Nullable Integer maxValueBytes) {
    this.maxValueBytes = maxValueBytes;
  }

  public @Nullable Codec getCodec() {
    return codec;
  }

  public void setCodec(@Nullable Codec codec) {
    this.codec = codec;
  }

  public @Nullable List<Class<?>> getValueTypes() {
    return valueTypes;
  }

  public void setValueTypes(@Nullable List<Class<?>> valueTypes) {
    this.valueTypes = valueTypes;
  }

  public @Nullable PutMode getPutMode() {
    return putMode;
  }

  public void setPutMode(@Nullable PutMode putMode) {
    this.putMode = putMode;
  }

  /** How a Spring cache encodes its values for Redis. */
  public enum Codec {
    /** Apache Fory, binary and fast; only JDK types and the classes listed in value-types are accepted. */
    FORY,
    /**
     * JSON through the application's Jackson 3 mapper, with default typing turned off (no class is ever taken
     * from the data); needs exactly one class in value-types.
     */
    JSON,
    /** UTF-8 text; values must be strings. */
    STRING
  }

  /** The in-heap tier of one cache. */
  public static class L1 {

    /** The most entries this instance keeps, loads in flight included. Default 10000. */
    private @Nullable Long maximumSize;

    /** How long a value stays in L1 after it was stored (before jitter). Default 5m. */
    private @Nullable Duration expireAfterWrite;

    /** The fraction by which L1 expiry is randomly shortened, in [0, 1). Default 0.1. */
    private @Nullable Double ttlJitter;

    /** The hard cap on any L1 entry's age, stale-served ones included. Default 10m. */
    private @Nullable Duration maxAge;

    public @Nullable Long getMaximumSize() {
      return maximumSize;
    }

    public void setMaximumSize(@Nullable Long maximumSize) {
      this.maximumSize = maximumSize;
    }

    public @Nullable Duration getExpireAfterWrite() {
      return expireAfterWrite;
    }

    public void setExpireAfterWrite(@Nullable Duration expireAfterWrite) {
      this.expireAfterWrite = expireAfterWrite;
    }

    public @Nullable Double getTtlJitter() {
      return ttlJitter;
    }

    public void setTtlJitter(@Nullable Double ttlJitter) {
      this.ttlJitter = ttlJitter;
    }

    public @Nullable Duration getMaxAge() {
      return maxAge;
    }

    public void setMaxAge(@Nullable Duration maxAge) {
      this.maxAge = maxAge;
    }
  }

  /** The shared Redis tier of one cache. */
  public static class L2 {

    /** Whether the cache uses Redis when one is configured; false keeps it in this instance only. Default true. */
    private @Nullable Boolean enabled;

    /** How long a value stays in Redis (before jitter). Default 1h. */
    private @Nullable Duration ttl;

    /** The fraction by which Redis expiry is randomly shortened, in [0, 1). Default 0.1. */
    private @Nullable Double ttlJitter;

    public @Nullable Boolean getEnabled() {
      return enabled;
    }

    public void setEnabled(@Nullable Boolean enabled) {
      this.enabled = enabled;
    }

    public @Nullable Duration getTtl() {
      return ttl;
    }

    public void setTtl(@Nullable Duration ttl) {
      this.ttl = ttl;
    }

    public @Nullable Double getTtlJitter() {
      return ttlJitter;
    }

    public void setTtlJitter(@Nullable Double ttlJitter) {
      this.ttlJitter = ttlJitter;
    }
  }

  /** Stampede, breakdown and outage protection of one cache. */
  public static class Protection {

    /**
     * Whether the cached method runs on the calling thread, keeping its transaction and security context. True
     * by default here (Spring code expects it); false runs it on the cache's executor, so a method that hangs is
     * abandoned after load-timeout instead of holding its caller.
     */
    private @Nullable Boolean loadOnCallerThread;

    /**
     * Whether one load per key runs across all instances (through a Redis lease): an instance that finds another
     * instance loading waits for its value instead of calling the source. Default false (one load per instance).
     */
    private @Nullable Boolean distributedSingleFlight;

    /**
     * How long past its L1 expiry an entry may still be served while one refresh runs in the background; 0 (the
     * default) turns it off. Never for evicted entries, never while degraded, never past l1.max-age.
     */
    private @Nullable Duration staleWhileRevalidate;

    /** How long past its L1 expiry an entry may be served when loading a fresh value fails; 0 (default) off. */
    private @Nullable Duration staleIfError;

    /**
     * The XFetch beta of probabilistic early refresh (with stale-while-revalidate on): hot entries are refreshed
     * shortly before they expire; 0 (default) off, 1 is the usual value.
     */
    private @Nullable Double earlyRefreshBeta;

    /**
     * How many hot keys each instance tracks (a heavy-hitter sketch sampling reads); they are reported by the
     * lamina endpoint and metrics, kept longer in L1 and recorded in Redis for warming. 0 (default) off.
     */
    private @Nullable Integer hotKeys;

    /** The sliding window hot keys are counted over. */
    private @Nullable Duration hotKeyWindow;

    /**
     * The most loads per second of any one key on this instance; a load past it fails (never a cached null).
     * 0 (default) sets no limit.
     */
    private @Nullable Integer missRateLimit;

    /**
     * How many loads that outlived load-timeout (abandoned, their loader still running) the cache tolerates;
     * while that many run, new loads fail at once instead of each holding one more thread. Within [0, 10000].
     * Default 16.
     */
    private @Nullable Integer maxAbandonedLoads;

    public @Nullable Integer getMaxAbandonedLoads() {
      return maxAbandonedLoads;
    }

    public void setMaxAbandonedLoads(@Nullable Integer maxAbandonedLoads) {
      this.maxAbandonedLoads = maxAbandonedLoads;
    }

    public @Nullable Integer getMissRateLimit() {
      return missRateLimit;
    }

    public void setMissRateLimit(@Nullable Integer missRateLimit) {
      this.missRateLimit = missRateLimit;
    }

    public @Nullable Integer getHotKeys() {
      return hotKeys;
    }

    public void setHotKeys(@Nullable Integer hotKeys) {
      this.hotKeys = hotKeys;
    }

    public @Nullable Duration getHotKeyWindow() {
      return hotKeyWindow;
    }

    public void setHotKeyWindow(@Nullable Duration hotKeyWindow) {
      this.hotKeyWindow = hotKeyWindow;
    }

    public @Nullable Boolean getLoadOnCallerThread() {
      return loadOnCallerThread;
    }

    public void setLoadOnCallerThread(@Nullable Boolean loadOnCallerThread) {
      this.loadOnCallerThread = loadOnCallerThread;
    }

    public @Nullable Boolean getDistributedSingleFlight() {
      return distributedSingleFlight;
    }

    public void setDistributedSingleFlight(@Nullable Boolean distributedSingleFlight) {
      this.distributedSingleFlight = distributedSingleFlight;
    }

    public @Nullable Duration getStaleWhileRevalidate() {
      return staleWhileRevalidate;
    }

    public void setStaleWhileRevalidate(@Nullable Duration staleWhileRevalidate) {
      this.staleWhileRevalidate = staleWhileRevalidate;
    }

    public @Nullable Duration getStaleIfError() {
      return staleIfError;
    }

    public void setStaleIfError(@Nullable Duration staleIfError) {
      this.staleIfError = staleIfError;
    }

    public @Nullable Double getEarlyRefreshBeta() {
      return earlyRefreshBeta;
    }

    public void setEarlyRefreshBeta(@Nullable Double earlyRefreshBeta) {
      this.earlyRefreshBeta = earlyRefreshBeta;
    }
  }
}
