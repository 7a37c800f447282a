package io.lamina.warming;

import io.github.resilience4j.ratelimiter.RateLimiter;
import io.lamina.CacheLoader;
import io.lamina.Ticker;
import io.lamina.TieredCache;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Warms one cache: gathers keys from its {@link WarmupSource}s into a plan, copies what L2 holds into L1 in
 * pipelined batches, then loads what L2 lacks from the source in batches, under a rate limit, a concurrency bound
 * and a deadline.
 *
 * <pre>{@code
 * Warmup warmup = CacheWarmer.newBuilder(products)
 *     .source(WarmupSource.recordedHotKeys(products, tier, KeyCodecs.longs(), 10_000))
 *     .source(() -> repository.bestSellerIds(10_000))
 *     .config(WarmupConfig.custom().sourceRateLimit(500).deadline(Duration.ofSeconds(30)).build())
 *     .build()
 *     .start();
 * }</pre>
 *
 * <h2>Guarantees</h2>
 * Every value reaches a tier through the cache's own read paths ({@link TieredCache#getAllPresent} and
 * {@link TieredCache#getAll}): an L1 reservation and, for source loads, the L2 lease guard each fill, so a write or
 * invalidation during the warm-up always wins over the value the warm-up read. With
 * {@code ProtectionConfig.distributedSingleFlight} on, instances warming the same keys at once load each key from
 * the source once across the cluster (the others wait for the holder of the key's lease and read L2); without it
 * the lease still guards every fill, but two instances may both call the source for a key.
 *
 * <p>The source sees at most {@link WarmupConfig#sourceRateLimit()} keys per second from each instance's warm-up
 * (a bulk load of n keys counts n). Keys are dealt with in plan order: sources first to last, each in its own
 * order, duplicates once.
 */
public final class CacheWarmer<K, V> {

  private final TieredCache<K, V> cache;
  private final WarmupConfig config;
  private final List<WarmupSource<? extends K>> sources;
  private final @Nullable RateLimiter rateLimiter;
  private final @Nullable CacheLoader<? super K, ? extends V> loader;
  private final Ticker ticker;

  private CacheWarmer(Builder<K, V> b) {
    cache = b.cache;
    config = b.config;
    sources = List.copyOf(b.sources);
    rateLimiter = b.rateLimiter;
    loader = b.loader;
    ticker = b.ticker;
  }

  /** Starts a builder for warming {@code cache}. */
  public static <K, V> Builder<K, V> newBuilder(TieredCache<K, V> cache) {
    return new Builder<>(Objects.requireNonNull(cache, "cache"));
  }

  /** The cache this warmer fills. */
  public TieredCache<K, V> cache() {
    return cache;
  }

  /** The warm-up configuration. */
  public WarmupConfig config() {
    return config;
  }

  /** Starts a new warm-up on its own daemon threads and returns at once. */
  public Warmup start() {
    WarmupRun<K, V> run = new WarmupRun<>(cache, config, sources, rateLimiter, loader, ticker);
    run.start();
    return run;
  }

  /** Builds a {@link CacheWarmer}; fails fast on missing or conflicting settings. */
  public static final class Builder<K, V> {
    private final TieredCache<K, V> cache;
    private WarmupConfig config = WarmupConfig.ofDefaults();
    private final List<WarmupSource<? extends K>> sources = new ArrayList<>();
    private @Nullable RateLimiter rateLimiter;
    private @Nullable CacheLoader<? super K, ? extends V> loader;
    private Ticker ticker = Ticker.system();

    private Builder(TieredCache<K, V> cache) {
      this.cache = cache;
    }

    /** How the warm-up runs; {@link WarmupConfig#ofDefaults()} unless set. */
    public Builder<K, V> config(WarmupConfig config) {
      this.config = Objects.requireNonNull(config, "config");
      return this;
    }

    /** Adds a source of keys; sources are asked in the order they were added. */
    public Builder<K, V> source(WarmupSource<? extends K> source) {
      sources.add(Objects.requireNonNull(source, "source"));
      return this;
    }

    /** Adds an explicit list of keys (a {@link WarmupSource#of} source). */
    public Builder<K, V> keys(Collection<? extends K> keys) {
      return source(WarmupSource.of(keys));
    }

    /**
     * Uses {@code limiter} instead of one built from {@link WarmupConfig#sourceRateLimit()}: share one between the
     * caches that read the same database, so their warm-ups together stay under one limit. Each permit is one key.
     */
    public Builder<K, V> rateLimiter(RateLimiter limiter) {
      if (this.rateLimiter != null) {
        throw new IllegalStateException("rateLimiter was already set to " + this.rateLimiter.getName());
      }
      this.rateLimiter = Objects.requireNonNull(limiter, "rateLimiter");
      return this;
    }

    /**
     * Loads the keys L2 lacks with {@code loader}, key by key through {@link TieredCache#get(Object, CacheLoader)}
     * (the same guarded, lease-protected fill), for caches built without a loader of their own (such as those of
     * the Spring starter). Without it the source pass uses the cache's bulk loader or loader through
     * {@link TieredCache#getAll}; a cache with neither loads nothing, so use {@link WarmupMode#L2_ONLY} there.
     */
    public Builder<K, V> loader(CacheLoader<? super K, ? extends V> loader) {
      if (this.loader != null) {
        throw new IllegalStateException("loader was already set");
      }
      this.loader = Objects.requireNonNull(loader, "loader");
      return this;
    }

    /** The clock progress is measured with; {@link Ticker#system()} unless set. */
    public Builder<K, V> ticker(Ticker ticker) {
      this.ticker = Objects.requireNonNull(ticker, "ticker");
      return this;
    }

    /**
     * Builds the warmer.
     *
     * @throws IllegalStateException if no source was added
     */
    public CacheWarmer<K, V> build() {
      if (sources.isEmpty()) {
        throw new IllegalStateException("warming of cache '" + cache.name() + "' has no source of keys: add"
            + " keys(...), source(WarmupSource.recordedHotKeys(...)) or source(() -> yourQuery())");
      }
      return new CacheWarmer<>(this);
    }
  }
}
