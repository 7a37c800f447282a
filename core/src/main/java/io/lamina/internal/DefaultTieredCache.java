package io.lamina.internal;

import io.lamina.AsyncCacheLoader;
import io.lamina.BulkLoader;
import io.lamina.CacheLoader;
import io.lamina.CoherenceStats;
import io.lamina.HotKey;
import io.lamina.Inspection;
import io.lamina.Lookup;
import io.lamina.TierUnavailableException;
import io.lamina.TieredCache;
import io.lamina.TieredCacheConfig;
import io.lamina.TieredCacheStats;
import io.lamina.WriteStrategy;
import io.lamina.internal.Reservation.Outcome;
import io.lamina.spi.LocalEntry;
import io.lamina.spi.RemoteEntry;
import io.lamina.spi.Version;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.jspecify.annotations.Nullable;

/**
 * The {@link TieredCache} implementation: checks arguments, serves L1 hits, delegates the rest.
 *
 * <p>Past 400 lines only because the facade is wide (sync, async and bulk variants of each call, inspection,
 * stats, close); each method is a few lines that check and delegate to {@link ReadPath}, {@link BulkRead} or
 * {@link WritePath}, which own the behaviour.
 */
public final class DefaultTieredCache<K, V> implements TieredCache<K, V> {

  private final CacheContext<K, V> ctx;
  private final ReadPath<K, V> reads;
  private final AsyncReadPath<K, V> asyncReads;
  private final BulkRead<K, V> bulk;
  private final AheadRefresh<K, V> ahead;
  private final WritePath<K, V> writes;
  private final @Nullable WriteBehindQueue<K, V> writeBehind;
  private final @Nullable CacheLoader<? super K, ? extends V> loader;
  private final @Nullable AsyncCacheLoader<? super K, ? extends V> asyncLoader;
  private final @Nullable BulkLoader<K, V> bulkLoader;
  private volatile boolean closed;
  private final @Nullable ScheduledFuture<?> hotKeyRecorder;

  public DefaultTieredCache(CacheSetup<K, V> setup) {
    ctx = new CacheContext<>(setup);
    reads = new ReadPath<>(ctx);
    asyncReads = new AsyncReadPath<>(ctx, reads);
    bulk = new BulkRead<>(ctx, reads);
    ahead = new AheadRefresh<>(ctx);
    bulkLoader = setup.bulkLoader();
    asyncLoader = setup.asyncLoader();
    loader = setup.loader() != null ? setup.loader()
        : asyncLoader != null ? AsyncReadPath.Loader.waitingFor(asyncLoader, ctx.executor)
        : bulkLoader == null ? null : singleFrom(bulkLoader);
    if (ctx.config.writeStrategy() == WriteStrategy.WRITE_BEHIND) {
      WritePath<K, V>[] holder = new WritePath[1];
      writeBehind = new WriteBehindQueue<>(ctx.name, Objects.requireNonNull(setup.writer()),
          ctx.config.writeBehind(),
          key -> holder[0].invalidateAccepted(key, ctx.id(key)),
          (key, error) -> ctx.safely(() -> ctx.listener.onWriteBehindFailure(ctx.name, key, error)),
          ctx.counters);
      writes = new WritePath<>(ctx, setup.writer(), writeBehind);
      holder[0] = writes;
    } else {
      writeBehind = null;
      writes = new WritePath<>(ctx, setup.writer(), null);
    }
    if (ctx.hotKeys != null && ctx.remote != null) {
      long half = ctx.config.protection().hotKeyWindow().toMillis() / 2;
      hotKeyRecorder = DefaultExecutor.SCHEDULER.scheduleWithFixedDelay(() -> {
        try {
          ctx.executor.execute(this::recordHotKeys);
        } catch (RejectedExecutionException e) {
          // the executor is shutting down: so is the application
        }
      }, half, half, TimeUnit.MILLISECONDS);
    } else {
      hotKeyRecorder = null;
    }
  }

  private static <K, V> CacheLoader<K, V> singleFrom(BulkLoader<K, V> bulkLoader) {
    return key -> bulkLoader.loadAll(Set.of(key)).get(key);
  }

  @Override
  public String name() {
    return ctx.name;
  }

  @Override
  public TieredCacheConfig config() {
    return ctx.config;
  }

  @Override
  public @Nullable V get(K key) {
    return get(key, requireLoader());
  }

  @Override
  public @Nullable V get(K key, CacheLoader<? super K, ? extends V> loader) {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(loader, "loader");
    return read(key, loader);
  }

  @Override
  public @Nullable V getIfPresent(K key) {
    Objects.requireNonNull(key, "key");
    return read(key, null);
  }

  @Override
  @SuppressWarnings("unchecked")
  public Lookup<V> lookup(K key) {
    Objects.requireNonNull(key, "key");
    if (writeBehind != null) {
      V queued = writeBehind.pendingValue(key);
      if (queued != null) {
        return Lookup.of(queued);
      }
    }
    Object local = reads.readLocal(key, null);
    if (!reads.isMiss(local)) {
      return local == null ? Lookup.negative() : Lookup.of((V) local);
    }
    checkOpen();
    ctx.counters.l1Misses.increment();
    Outcome outcome = reads.readThrough(key, null);
    if (!outcome.found()) {
      return Lookup.miss();
    }
    return outcome.value() == null ? Lookup.negative() : Lookup.of((V) outcome.value());
  }

  @SuppressWarnings("unchecked")
  private @Nullable V read(K key, @Nullable CacheLoader<? super K, ? extends V> loader) {
    if (writeBehind != null) {
      V queued = writeBehind.pendingValue(key);
      if (queued != null) {
        return queued;
      }
    }
    Object local = reads.readLocal(key, loader);
    if (!reads.isMiss(local)) {
      return (V) local;
    }
    checkOpen();
    ctx.counters.l1Misses.increment();
    Outcome outcome = reads.readThrough(key, loader);
    return (V) outcome.value();
  }

  @Override
  public Map<K, V> getAll(Iterable<? extends K> keys) {
    return getAll(keys, bulkLoader, loader);
  }

  @Override
  public Map<K, V> getAllPresent(Iterable<? extends K> keys) {
    return getAll(keys, null, null);
  }

  private Map<K, V> getAll(Iterable<? extends K> keys, @Nullable BulkLoader<K, V> bulkLoader,
      @Nullable CacheLoader<? super K, ? extends V> loader) {
    Objects.requireNonNull(keys, "keys");
    checkOpen();
    Map<K, String> ids = bulk.checked(keys);
    if (writeBehind == null) {
      return bulk.getAll(ids, bulkLoader, loader);
    }
    Map<K, String> rest = new LinkedHashMap<>();
    Map<K, V> queued = new LinkedHashMap<>();
    for (Map.Entry<K, String> e : ids.entrySet()) {
      V v = writeBehind.pendingValue(e.getKey());
      if (v != null) {
        queued.put(e.getKey(), v);
      } else {
        rest.put(e.getKey(), e.getValue());
      }
    }
    Map<K, V> result = new LinkedHashMap<>(queued);
    result.putAll(bulk.getAll(rest, bulkLoader, loader));
    return result;
  }

  @Override
  public boolean refreshAhead(K key, Duration ahead) {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(ahead, "ahead");
    checkOpen();
    return this.ahead.refresh(key, requireLoader(), Math.max(0, ahead.toMillis()));
  }

  @Override
  public boolean refreshAhead(K key, Duration ahead, CacheLoader<? super K, ? extends V> loader) {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(ahead, "ahead");
    Objects.requireNonNull(loader, "loader");
    checkOpen();
    return this.ahead.refresh(key, loader, Math.max(0, ahead.toMillis()));
  }

  @Override
  public void put(K key, V value) {
    checkOpen();
    writes.put(key, value, null);
  }

  @Override
  public void put(K key, V value, Duration ttl) {
    Objects.requireNonNull(ttl, "ttl");
    checkOpen();
    writes.put(key, value, ttl);
  }

  @Override
  public void putAll(Map<? extends K, ? extends V> values) {
    Objects.requireNonNull(values, "values");
    checkOpen();
    writes.putAll(values);
  }

  @Override
  public void invalidate(K key) {
    checkOpen();
    writes.invalidate(key);
  }

  @Override
  public void invalidateAll(Iterable<? extends K> keys) {
    Objects.requireNonNull(keys, "keys");
    checkOpen();
    writes.invalidateAll(keys);
  }

  @Override
  public void invalidateAll() {
    checkOpen();
    writes.invalidateAll();
  }

  @Override
  public CompletableFuture<@Nullable V> getAsync(K key) {
    AsyncCacheLoader<? super K, ? extends V> async = asyncLoader;
    return async != null ? getAsync(key, async) : getAsync(key, requireLoader());
  }

  @Override
  public CompletableFuture<@Nullable V> getAsync(K key, CacheLoader<? super K, ? extends V> loader) {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(loader, "loader");
    return readAsync(key, AsyncReadPath.Loader.blocking(loader));
  }

  @Override
  public CompletableFuture<@Nullable V> getAsync(K key, AsyncCacheLoader<? super K, ? extends V> loader) {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(loader, "loader");
    return readAsync(key, AsyncReadPath.Loader.async(loader, ctx));
  }

  @Override
  public CompletableFuture<@Nullable V> getIfPresentAsync(K key) {
    Objects.requireNonNull(key, "key");
    return readAsync(key, null);
  }

  /** An L1 hit at once; otherwise {@link AsyncReadPath} (write-behind: the synchronous read on the executor). */
  @SuppressWarnings("unchecked")
  private CompletableFuture<@Nullable V> readAsync(K key, AsyncReadPath.@Nullable Loader<K, V> loader) {
    if (writeBehind != null) {
      CacheLoader<? super K, ? extends V> blocking = loader == null ? null : loader.blocking();
      return CompletableFuture.supplyAsync(() -> read(key, blocking), ctx.executor);
    }
    Object local = reads.readLocal(key, loader == null ? null : loader.blocking());
    if (!reads.isMiss(local)) {
      return CompletableFuture.completedFuture((V) local);
    }
    try {
      checkOpen();
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
    ctx.counters.l1Misses.increment();
    return asyncReads.readThrough(key, loader).thenApply(outcome -> (V) outcome.value());
  }

  @Override
  public CompletableFuture<Map<K, V>> getAllAsync(Iterable<? extends K> keys) {
    Objects.requireNonNull(keys, "keys");
    if (writeBehind != null) {
      return CompletableFuture.supplyAsync(() -> getAll(keys), ctx.executor);
    }
    try {
      checkOpen();
      return bulk.getAllAsync(bulk.checked(keys), bulkLoader, loader, asyncReads);
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  @Override
  public CompletableFuture<Void> putAsync(K key, V value) {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(value, "value");
    return CompletableFuture.runAsync(() -> put(key, value), ctx.executor);
  }

  @Override
  public CompletableFuture<Void> putAsync(K key, V value, Duration ttl) {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(value, "value");
    Objects.requireNonNull(ttl, "ttl");
    return CompletableFuture.runAsync(() -> put(key, value, ttl), ctx.executor);
  }

  @Override
  public CompletableFuture<Void> putAllAsync(Map<? extends K, ? extends V> values) {
    Objects.requireNonNull(values, "values");
    return CompletableFuture.runAsync(() -> putAll(values), ctx.executor);
  }

  @Override
  public CompletableFuture<Void> invalidateAsync(K key) {
    Objects.requireNonNull(key, "key");
    return CompletableFuture.runAsync(() -> invalidate(key), ctx.executor);
  }

  @Override
  public CompletableFuture<Void> invalidateAllAsync(Iterable<? extends K> keys) {
    Objects.requireNonNull(keys, "keys");
    return CompletableFuture.runAsync(() -> invalidateAll(keys), ctx.executor);
  }

  @Override
  public CompletableFuture<Void> invalidateAllAsync() {
    return CompletableFuture.runAsync(this::invalidateAll, ctx.executor);
  }

  @Override
  public TieredCacheStats stats() {
    return ctx.counters.snapshot(ctx.local.evictionCount(), ctx.local.estimatedSize(), pendingWrites(),
        ctx.guard.remoteBreakerState(), ctx.guard.loaderBreakerState(), ctx.repairs);
  }

  @Override
  public List<HotKey> hotKeys() {
    HotKeySketch sketch = ctx.hotKeys;
    return sketch == null ? List.of() : sketch.top(ctx.config.protection().hotKeys());
  }

  /** Records this node's hot keys in L2 (every half window, while hot-key tracking and L2 are on). */
  private void recordHotKeys() {
    HotKeySketch sketch = ctx.hotKeys;
    if (sketch == null || ctx.remote == null || closed) {
      return;
    }
    Map<String, Long> counts = new LinkedHashMap<>();
    for (HotKey hot : sketch.top(ctx.config.protection().hotKeys())) {
      counts.put(hot.id(), hot.count());
    }
    if (!counts.isEmpty()) {
      try {
        ctx.l2.await("recordHotKeys", () -> ctx.l2.remote().recordHotKeys(counts,
            2 * ctx.config.protection().hotKeyWindow().toMillis()));
      } catch (TierUnavailableException e) {
        // counted by await; the next round records them
      }
    }
  }

  @Override
  public CoherenceStats coherence() {
    return ctx.busNode == null ? CoherenceStats.NO_BUS : ctx.busNode.stats();
  }

  @Override
  public int pendingWrites() {
    return writeBehind == null ? 0 : writeBehind.pending();
  }

  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    if (writeBehind != null) {
      writeBehind.close();
    }
    if (hotKeyRecorder != null) {
      hotKeyRecorder.cancel(false);
    }
    if (ctx.repairs != null) {
      ctx.repairs.close();
    }
    ctx.leaveBus();
    ctx.local.close();
  }

  @Override
  public String toString() {
    return "TieredCache{" + ctx.name + ", l2=" + ctx.remoteName + ", " + ctx.config.writeStrategy() + '}';
  }

  private CacheLoader<? super K, ? extends V> requireLoader() {
    if (loader == null) {
      throw new IllegalStateException("cache '" + ctx.name + "' has no loader; use get(key, loader) or"
          + " getIfPresent(key), or configure loader(...) or asyncLoader(...)");
    }
    return loader;
  }

  @Override
  public Inspection inspect(K key) {
    Objects.requireNonNull(key, "key");
    checkOpen();
    String id = ctx.id(key);
    boolean pending = writeBehind != null && writeBehind.pendingValue(key) != null;
    return new Inspection(ctx.name, id, ctx.trusted(), pending, inspectLocal(key),
        ctx.remote == null ? null : inspectRemote(id));
  }

  private Inspection.Local inspectLocal(K key) {
    LocalEntry entry = ctx.local.getIfPresent(key);
    long now = ctx.ticker.read();
    if (entry instanceof ValueEntry ve && ve.generation == ctx.fills.generation()) {
      return new Inspection.Local(ve.value == null ? Inspection.LocalState.NEGATIVE : Inspection.LocalState.VALUE,
          ve.version.toString(), ve.sourceVersion() == ValueEntry.NO_SOURCE_VERSION ? null : ve.sourceVersion(),
          millis(now - ve.storedAtNanos), millis(ctx.policy.freshUntilNanos(ve) - now),
          millis(ve.deadlineNanos() - now));
    }
    if (entry instanceof Reservation r && r.generation == ctx.fills.generation()) {
      return new Inspection.Local(Inspection.LocalState.LOADING, null, null, millis(now - r.reservedAtNanos), -1,
          millis(r.deadlineNanos() - now));
    }
    return new Inspection.Local(Inspection.LocalState.ABSENT, null, null, -1, -1, -1);
  }

  private Inspection.Remote inspectRemote(String id) {
    try {
      RemoteEntry e = ctx.l2.remote().read(id, null, 0).toCompletableFuture()
          .get(ctx.timeouts.remote(), TimeUnit.NANOSECONDS);
      return new Inspection.Remote(e.state(), e.version().toString(), e.remainingTtlMillis(), null);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new Inspection.Remote(null, Version.NONE.toString(), -1, "interrupted");
    } catch (ExecutionException e) {
      return new Inspection.Remote(null, Version.NONE.toString(), -1, String.valueOf(e.getCause()));
    } catch (TimeoutException | RuntimeException e) {
      return new Inspection.Remote(null, Version.NONE.toString(), -1, String.valueOf(e));
    }
  }

  private static long millis(long nanos) {
    return TimeUnit.NANOSECONDS.toMillis(nanos);
  }

  private void checkOpen() {
    if (closed) {
      throw new IllegalStateException("cache '" + ctx.name + "' is closed");
    }
  }
}
