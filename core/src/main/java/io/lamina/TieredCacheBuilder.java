package io.lamina;

import io.lamina.internal.CacheSetup;
import io.lamina.internal.DefaultExecutor;
import io.lamina.internal.DefaultTieredCache;
import io.lamina.spi.InvalidationBus;
import io.lamina.spi.KeyCodec;
import io.lamina.spi.KeyFilter;
import io.lamina.spi.LocalTierProvider;
import io.lamina.spi.RemoteTier;
import io.lamina.spi.ValueCodec;
import java.time.Duration;
import java.util.Iterator;
import java.util.Objects;
import java.util.ServiceLoader;
import java.util.concurrent.Executor;
import java.util.function.Function;
import java.util.function.ToLongFunction;
import org.jspecify.annotations.Nullable;

/**
 * Wires one {@link TieredCache}: its tiers, codecs, loader, writer and configuration.
 *
 * <p>Each setter may be called once: a second call fails, naming the setting, because silently overriding
 * wiring hides mistakes. {@link #build()} checks the wiring against the configuration (a write strategy that
 * needs a writer, a remote tier without a value codec, …) and fails with a message naming what is missing.
 *
 * @param <K> the key type
 * @param <V> the value type
 */
public final class TieredCacheBuilder<K, V> {

  private final String name;
  private @Nullable TieredCacheConfig config;
  private @Nullable LocalTierProvider localProvider;
  private @Nullable RemoteTier remote;
  private @Nullable KeyCodec<K> keyCodec;
  private @Nullable ValueCodec<V> valueCodec;
  private @Nullable CacheLoader<? super K, ? extends V> loader;
  private @Nullable AsyncCacheLoader<? super K, ? extends V> asyncLoader;
  private @Nullable BulkLoader<K, V> bulkLoader;
  private @Nullable CacheWriter<K, V> writer;
  private @Nullable ToLongFunction<? super V> versionOf;
  private @Nullable Function<? super V, @Nullable Duration> ttlOf;
  private @Nullable TieredCacheListener listener;
  private @Nullable Ticker ticker;
  private @Nullable Executor executor;
  private @Nullable InvalidationBus bus;
  private @Nullable BusConfig busConfig;
  private @Nullable KeyFilter keyFilter;

  TieredCacheBuilder(String name) {
    this.name = TieredCacheConfig.checkName("cache name", name);
  }

  /** The cache's tunables; {@link TieredCacheConfig#ofDefaults()} if not set. */
  public TieredCacheBuilder<K, V> config(TieredCacheConfig config) {
    this.config = once("config", this.config, config);
    return this;
  }

  /**
   * The local tier's implementation. If not set, the one registered with {@link ServiceLoader} is used
   * ({@code lamina-l1-local} registers Caffeine).
   */
  public TieredCacheBuilder<K, V> local(LocalTierProvider provider) {
    this.localProvider = once("local", this.localProvider, provider);
    return this;
  }

  /** The shared remote tier. Without one the cache is local only. Requires a {@link #valueCodec}. */
  public TieredCacheBuilder<K, V> remote(RemoteTier remote) {
    this.remote = once("remote", this.remote, remote);
    return this;
  }

  /** How keys become canonical ids; {@link KeyCodecs#usingToString()} if not set. */
  public TieredCacheBuilder<K, V> keyCodec(KeyCodec<K> keyCodec) {
    this.keyCodec = once("keyCodec", this.keyCodec, keyCodec);
    return this;
  }

  /** How values are encoded for the remote tier. Required with a remote tier. */
  public TieredCacheBuilder<K, V> valueCodec(ValueCodec<V> valueCodec) {
    this.valueCodec = once("valueCodec", this.valueCodec, valueCodec);
    return this;
  }

  /** The loader {@link TieredCache#get(Object)} uses on a miss. */
  public TieredCacheBuilder<K, V> loader(CacheLoader<? super K, ? extends V> loader) {
    this.loader = once("loader", this.loader, loader);
    return this;
  }

  /**
   * The loader {@link TieredCache#getAsync(Object)} uses on a miss, without blocking a thread while the source
   * answers (see {@link TieredCache#getAsync(Object, AsyncCacheLoader)}). Without a {@link #loader}, the blocking
   * reads ({@code get}, {@code getAll}, {@code getAllAsync}'s loads, refreshes) load through it too, waiting for
   * its future on the calling or executor thread under the load timeout; a future that misses it is cancelled.
   */
  public TieredCacheBuilder<K, V> asyncLoader(AsyncCacheLoader<? super K, ? extends V> asyncLoader) {
    this.asyncLoader = once("asyncLoader", this.asyncLoader, asyncLoader);
    return this;
  }

  /**
   * The loader {@link TieredCache#getAll} uses for what both tiers missed. Without one, {@code getAll} calls the
   * loader key by key; with one and no {@link #loader}, single reads load through it too.
   */
  public TieredCacheBuilder<K, V> bulkLoader(BulkLoader<K, V> bulkLoader) {
    this.bulkLoader = once("bulkLoader", this.bulkLoader, bulkLoader);
    return this;
  }

  /** The writer of the write-through, write-around and write-behind strategies. */
  public TieredCacheBuilder<K, V> writer(CacheWriter<K, V> writer) {
    this.writer = once("writer", this.writer, writer);
    return this;
  }

  /**
   * The source's own version of a value (a row version, an updated-at in millis, an LSN): increasing with every
   * source write. With it, {@code put} stores the value in both tiers unless a newer source version is already
   * there; without it, {@code put} only invalidates, because two writers' cache calls may land in the opposite
   * order to their source writes.
   */
  public TieredCacheBuilder<K, V> versionOf(ToLongFunction<? super V> versionOf) {
    this.versionOf = once("versionOf", this.versionOf, versionOf);
    return this;
  }

  /**
   * A value's own time to live, for values that know when they stop being valid (a token, a quote, a session):
   * each loaded, refreshed or stored value lives that long in L2 (exactly, without jitter) and never longer in
   * L1, and is never served stale past it. Return null for the cache's default ({@code l2Ttl}, {@code
   * l1ExpireAfterWrite}). Not applied to negative results. {@link TieredCache#put(Object, Object, Duration)}
   * overrides it for one write.
   *
   * <p>It runs on the thread that loaded or wrote the value and must be fast. A result under 1 ms fails that
   * read or write with an {@link IllegalArgumentException}; nothing is stored.
   */
  public TieredCacheBuilder<K, V> ttlOf(Function<? super V, @Nullable Duration> ttlOf) {
    this.ttlOf = once("ttlOf", this.ttlOf, ttlOf);
    return this;
  }

  /** Receives the cache's events; none if not set. */
  public TieredCacheBuilder<K, V> listener(TieredCacheListener listener) {
    this.listener = once("listener", this.listener, listener);
    return this;
  }

  /** The clock for expiry and ages; {@link Ticker#system()} if not set. */
  public TieredCacheBuilder<K, V> ticker(Ticker ticker) {
    this.ticker = once("ticker", this.ticker, ticker);
    return this;
  }

  /**
   * Where async calls run, and the local tier's maintenance that reads and invalidations ask for (Caffeine's tier
   * runs what a store asks for on the storing thread). If not set, a shared pool of daemon threads that grows with demand and
   * shrinks when idle, and {@code ForkJoinPool.commonPool()} for the maintenance: an async miss blocks a thread on
   * the remote tier and the loader, so a small fixed pool (such as the common pool, one thread on two cores) could
   * starve.
   */
  public TieredCacheBuilder<K, V> executor(Executor executor) {
    this.executor = once("executor", this.executor, executor);
    return this;
  }

  /**
   * The invalidation bus that keeps other nodes' local tiers coherent with this node's writes (and this node's
   * with theirs). Needs a {@link #keyCodec} that turns ids back into keys ({@link KeyCodecs#strings()},
   * {@link KeyCodecs#longs()}, … or your own {@link KeyCodec#fromId}).
   */
  /**
   * A filter of the ids that can exist (such as a Bloom filter of the source's keys): a miss whose id it rules
   * out is answered as absent without calling the loader or L2. Every write through the cache adds its id first
   * (a write whose id cannot be added fails before anything changes); a filter that cannot answer lets the read
   * through.
   */
  public TieredCacheBuilder<K, V> keyFilter(KeyFilter keyFilter) {
    this.keyFilter = once("keyFilter", this.keyFilter, keyFilter);
    return this;
  }

  public TieredCacheBuilder<K, V> bus(InvalidationBus bus) {
    this.bus = once("bus", this.bus, bus);
    return this;
  }

  /** The bus's tunables; {@link BusConfig#ofDefaults()} if not set. Caches sharing a bus share the first's. */
  public TieredCacheBuilder<K, V> busConfig(BusConfig busConfig) {
    this.busConfig = once("busConfig", this.busConfig, busConfig);
    return this;
  }

  /**
   * Checks the wiring and builds the cache.
   *
   * @throws IllegalStateException naming what is missing or conflicting
   */
  public TieredCache<K, V> build() {
    TieredCacheConfig cfg = config != null ? config : TieredCacheConfig.ofDefaults();
    if (bus != null && keyCodec == null) { // the default codec below cannot turn an id back into a key
      throw new IllegalStateException(describe() + ": a bus carries ids and the receiving nodes must turn them"
          + " back into keys; set a keyCodec (KeyCodecs.strings(), longs(), integers(), uuids(), or your own)");
    }
    if (busConfig != null && bus == null) {
      throw new IllegalStateException(describe() + ": busConfig is set but no bus");
    }
    // CacheSetup checks the rest (strategy against loader and writer, codecs, bus timings) when it is made.
    CacheSetup<K, V> setup = new CacheSetup<>(
        name,
        cfg,
        localProvider != null ? localProvider : findLocalProvider(),
        remote,
        keyCodec != null ? keyCodec : KeyCodecs.usingToString(),
        valueCodec,
        loader,
        asyncLoader,
        bulkLoader,
        writer,
        versionOf,
        ttlOf,
        listener != null ? listener : TieredCacheListener.NO_OP,
        ticker != null ? ticker : Ticker.system(),
        executor != null ? executor : DefaultExecutor.INSTANCE,
        bus,
        busConfig != null ? busConfig : BusConfig.ofDefaults(),
        keyFilter);
    return new DefaultTieredCache<>(setup);
  }

  private String describe() {
    return "cache '" + name + "'";
  }

  private LocalTierProvider findLocalProvider() {
    Iterator<LocalTierProvider> found = ServiceLoader.load(LocalTierProvider.class).iterator();
    if (!found.hasNext()) {
      throw new IllegalStateException(describe() + ": no local tier found; add lamina-l1-local to the"
          + " classpath or call local(provider)");
    }
    return found.next();
  }

  private <T> T once(String setting, @Nullable T current, T value) {
    Objects.requireNonNull(value, setting);
    if (current != null) {
      throw new IllegalStateException(setting + " was already set for " + describe());
    }
    return value;
  }
}
