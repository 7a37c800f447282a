package io.lamina.quarkus;

import io.lamina.CacheWriter;
import io.lamina.TieredCacheConfig;
import io.lamina.TieredCacheListener;
import io.lamina.spi.KeyFilter;
import io.lamina.spi.ValueCodec;
import java.time.Duration;
import java.util.Objects;
import java.util.function.Function;
import java.util.function.ToLongFunction;
import org.jspecify.annotations.Nullable;

/**
 * The settings of one cache while {@link LaminaCacheCustomizer}s run: its configuration (already holding what
 * {@code quarkus.lamina.*} says) and the wiring properties cannot express. The cache's keys are canonical ids
 * (see {@link LaminaCache#idOf}), its values what the cached methods return. Each wiring may be set once per
 * cache: a second customizer setting the same one fails the start-up, naming it. Not thread-safe: used by one
 * thread while a cache is built.
 */
public final class LaminaCacheSettings {

  private final String name;
  private final TieredCacheConfig.Builder config;
  private @Nullable ValueCodec<Object> valueCodec;
  private @Nullable CacheWriter<String, Object> writer;
  private @Nullable ToLongFunction<Object> versionOf;
  private @Nullable Function<Object, @Nullable Duration> ttlOf;
  private @Nullable TieredCacheListener listener;
  private @Nullable KeyFilter keyFilter;

  /** Settings of cache {@code name}, starting from {@code config}. */
  public LaminaCacheSettings(String name, TieredCacheConfig.Builder config) {
    this.name = Objects.requireNonNull(name, "name");
    this.config = Objects.requireNonNull(config, "config");
  }

  /** The cache's name (the name in {@code @CacheResult(cacheName = ...)}). */
  public String name() {
    return name;
  }

  /**
   * The cache's configuration, to change in place; it is checked when the cache is built, and a value it refuses
   * stops the start-up under {@code quarkus.lamina.caches."name"}.
   */
  public TieredCacheConfig.Builder config() {
    return config;
  }

  /** The codec set here, or null to use the one the properties choose. */
  public @Nullable ValueCodec<Object> valueCodec() {
    return valueCodec;
  }

  /** Encodes Redis values with {@code codec} instead of the one {@code codec}/{@code value-types} choose. */
  public LaminaCacheSettings valueCodec(ValueCodec<Object> codec) {
    this.valueCodec = once("valueCodec", this.valueCodec, codec);
    return this;
  }

  /** The writer, or null. */
  public @Nullable CacheWriter<String, Object> writer() {
    return writer;
  }

  /** The writer of the write-through, write-around and write-behind strategies ({@code write-strategy}). */
  public LaminaCacheSettings writer(CacheWriter<String, Object> writer) {
    this.writer = once("writer", this.writer, writer);
    return this;
  }

  /** The source-version function, or null. */
  public @Nullable ToLongFunction<Object> versionOf() {
    return versionOf;
  }

  /**
   * The source's own version of a value (row version, updated-at): with it, {@link LaminaCache#put} stores the
   * value in both tiers unless a newer version is already cached, instead of only invalidating.
   */
  public LaminaCacheSettings versionOf(ToLongFunction<Object> versionOf) {
    this.versionOf = once("versionOf", this.versionOf, versionOf);
    return this;
  }

  /** The per-value time-to-live function, or null. */
  public @Nullable Function<Object, @Nullable Duration> ttlOf() {
    return ttlOf;
  }

  /**
   * A value's own time to live, for values that know when they stop being valid (a token, a quote, a session):
   * each loaded, refreshed or stored value lives that long in Redis (exactly, without jitter) and never longer in
   * L1, and is never served stale past it. Return null for the cache's {@code l2.ttl} and
   * {@code l1.expire-after-write}. Not applied to cached null results ({@code negative-ttl}). A single write can
   * give its own with {@code tiered().put(id, value, ttl)} (see {@link LaminaCache#tiered}).
   *
   * <p>It runs on the thread that loaded or wrote the value and must be fast. A result under 1 ms fails that read
   * or write with an {@link IllegalArgumentException}; nothing is stored.
   */
  public LaminaCacheSettings ttlOf(Function<Object, @Nullable Duration> ttlOf) {
    this.ttlOf = once("ttlOf", this.ttlOf, ttlOf);
    return this;
  }

  /** The listener, or null. */
  public @Nullable TieredCacheListener listener() {
    return listener;
  }

  /** Receives the cache's events (loads, hits, invalidations, degraded state, …). */
  public LaminaCacheSettings listener(TieredCacheListener listener) {
    this.listener = once("listener", this.listener, listener);
    return this;
  }

  /** The key filter, or null. */
  public @Nullable KeyFilter keyFilter() {
    return keyFilter;
  }

  /**
   * The ids that can exist at the source (such as a Bloom filter of ids): a miss it rules out is answered as
   * absent without running the cached method (cache penetration).
   */
  public LaminaCacheSettings keyFilter(KeyFilter keyFilter) {
    this.keyFilter = once("keyFilter", this.keyFilter, keyFilter);
    return this;
  }

  private <T> T once(String setting, @Nullable T current, T value) {
    Objects.requireNonNull(value, setting);
    if (current != null) {
      throw new IllegalStateException("cache '" + name + "': " + setting + " was already set by another"
          + " LaminaCacheCustomizer; set it in one place");
    }
    return value;
  }
}
