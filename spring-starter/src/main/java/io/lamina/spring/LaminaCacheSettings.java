package io.lamina.spring;

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
 * the properties say) and the wiring properties cannot express. Keys are ids (see {@link CacheKeyConverter}).
 * Not thread-safe: used by one thread while a cache is built.
 */
public final class LaminaCacheSettings {

  private final String name;
  private final TieredCacheConfig.Builder config;
  private PutMode putMode;
  private @Nullable ValueCodec<Object> valueCodec;
  private @Nullable CacheWriter<String, Object> writer;
  private @Nullable ToLongFunction<Object> versionOf;
  private @Nullable Function<Object, @Nullable Duration> ttlOf;
  private @Nullable TieredCacheListener listener;
  private @Nullable KeyFilter keyFilter;

  /** Settings of cache {@code name}, starting from {@code config} and {@code putMode}. */
  public LaminaCacheSettings(String name, TieredCacheConfig.Builder config, PutMode putMode) {
    this.name = Objects.requireNonNull(name, "name");
    this.config = Objects.requireNonNull(config, "config");
    this.putMode = Objects.requireNonNull(putMode, "putMode");
  }

  /** The cache's name. */
  public String name() {
    return name;
  }

  /** The cache's configuration, to change in place; its {@code build()} checks it when the cache is built. */
  public TieredCacheConfig.Builder config() {
    return config;
  }

  /** What {@code @CachePut} does. */
  public PutMode putMode() {
    return putMode;
  }

  /** Sets what {@code @CachePut} does. */
  public LaminaCacheSettings putMode(PutMode putMode) {
    this.putMode = Objects.requireNonNull(putMode, "putMode");
    return this;
  }

  /** The codec set here, or null to use the one the properties choose. */
  public @Nullable ValueCodec<Object> valueCodec() {
    return valueCodec;
  }

  /** Encodes values with {@code codec} instead of the one the properties choose. */
  public LaminaCacheSettings valueCodec(ValueCodec<Object> codec) {
    this.valueCodec = Objects.requireNonNull(codec, "codec");
    return this;
  }

  /** The writer, or null. */
  public @Nullable CacheWriter<String, Object> writer() {
    return writer;
  }

  /** The writer of the write-through, write-around and write-behind strategies. */
  public LaminaCacheSettings writer(CacheWriter<String, Object> writer) {
    this.writer = Objects.requireNonNull(writer, "writer");
    return this;
  }

  /** The source-version function, or null. */
  public @Nullable ToLongFunction<Object> versionOf() {
    return versionOf;
  }

  /**
   * The source's own version of a value (row version, updated-at): with it, {@code put} stores the value unless
   * a newer version is already cached, instead of only invalidating.
   */
  public LaminaCacheSettings versionOf(ToLongFunction<Object> versionOf) {
    this.versionOf = Objects.requireNonNull(versionOf, "versionOf");
    return this;
  }

  /** The per-value time-to-live function, or null. */
  public @Nullable Function<Object, @Nullable Duration> ttlOf() {
    return ttlOf;
  }

  /**
   * A value's own time to live, for values that know when they stop being valid (a token, a quote, a session):
   * each value loaded, refreshed or stored lives that long in Redis (exactly, without jitter) and never longer in
   * L1, and is never served stale past it. The function returns null for the cache's own TTLs ({@code l2.ttl},
   * {@code l1.expire-after-write}); it is not applied to cached {@code null} results. It runs on the thread that
   * loaded or wrote the value and must be fast; a result under 1 ms fails that read or write with an
   * {@link IllegalArgumentException}, and nothing is stored.
   */
  public LaminaCacheSettings ttlOf(Function<Object, @Nullable Duration> ttlOf) {
    this.ttlOf = Objects.requireNonNull(ttlOf, "ttlOf");
    return this;
  }

  /** The listener, or null. */
  public @Nullable TieredCacheListener listener() {
    return listener;
  }

  /** Receives the cache's events. */
  public LaminaCacheSettings listener(TieredCacheListener listener) {
    this.listener = Objects.requireNonNull(listener, "listener");
    return this;
  }

  /** The key filter, or null. */
  public @Nullable KeyFilter keyFilter() {
    return keyFilter;
  }

  /**
   * The ids that can exist at the source (such as a Bloom filter): a miss it rules out is answered as absent
   * without running the cached method (cache penetration).
   */
  public LaminaCacheSettings keyFilter(KeyFilter keyFilter) {
    this.keyFilter = Objects.requireNonNull(keyFilter, "keyFilter");
    return this;
  }
}
