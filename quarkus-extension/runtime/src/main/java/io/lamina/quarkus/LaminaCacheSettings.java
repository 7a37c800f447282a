package io.lamina.quarkus;

import io.lamina.CacheWriter;
import io.lamina.TieredCacheConfig;
import io.lamina.TieredCacheListener;
import io.lamina.spi.KeyFilter;
import io.lamina.spi.ValueCodec;
import java.util.Objects;
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
