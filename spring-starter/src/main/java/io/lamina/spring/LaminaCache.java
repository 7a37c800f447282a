package io.lamina.spring;

import io.lamina.CacheLoaderException;
import io.lamina.TieredCache;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.springframework.cache.Cache;
import org.springframework.cache.support.SimpleValueWrapper;

/**
 * A Spring {@link Cache} on a {@link TieredCache}. Keys become ids through a {@link CacheKeyConverter}.
 *
 * <h2>How Spring's operations map to Lamina</h2>
 * <ul>
 *   <li>{@code @Cacheable(sync = true)} ({@link #get(Object, Callable)}, {@link #retrieve(Object, Supplier)}):
 *       Lamina's read-through. The method runs at most once per key per instance at a time, under a guarded
 *       fill (an eviction on any instance while it runs keeps its result out of the cache), and a null result is
 *       cached as a negative result for {@code negative-ttl}. This is the recommended form.
 *   <li>{@code @Cacheable} without {@code sync}: Spring looks the key up, runs the method on a miss, then hands
 *       the result to {@code put}. The view {@link LaminaCacheResolver} gives those operations
 *       ({@link #fillView()}) stores it as a <em>fill</em>: it never replaces an entry another caller stored and
 *       never broadcasts. The window between the method's read of the source and the fill is not guarded, and a
 *       cached negative result reads as a miss; use {@code sync = true} to close both.
 *   <li>{@code @CachePut}, {@link #put}: a write, per {@link PutMode}: invalidate the key on every instance,
 *       and with {@code STORE} fill the new value afterwards.
 *   <li>{@code @CacheEvict}, {@link #evict}: invalidate on every instance; {@code allEntries}, {@link #clear}:
 *       invalidate the whole cache on every instance.
 * </ul>
 *
 * <p>Thread-safe. Failures of Redis follow the cache's remote-failure-mode; Spring's {@code CacheErrorHandler}
 * sees what Lamina throws.
 */
public final class LaminaCache implements Cache {

  private final TieredCache<String, Object> cache;
  private final CacheKeyConverter keys;
  private final PutMode putMode;
  private final boolean fill;
  private final LaminaCache other;

  /** The write view of {@code cache}; {@link #fillView()} gives its fill view. */
  public LaminaCache(TieredCache<String, Object> cache, CacheKeyConverter keys, PutMode putMode) {
    this.cache = Objects.requireNonNull(cache, "cache");
    this.keys = Objects.requireNonNull(keys, "keys");
    this.putMode = Objects.requireNonNull(putMode, "putMode");
    this.fill = false;
    this.other = new LaminaCache(this);
  }

  private LaminaCache(LaminaCache writeView) {
    this.cache = writeView.cache;
    this.keys = writeView.keys;
    this.putMode = writeView.putMode;
    this.fill = true;
    this.other = writeView;
  }

  /** The view whose {@code put} fills (for {@code @Cacheable} misses); the same cache underneath. */
  public LaminaCache fillView() {
    return fill ? this : other;
  }

  /** Whether this is the view that fills on {@code put}. */
  public boolean isFillView() {
    return fill;
  }

  @Override
  public String getName() {
    return cache.name();
  }

  /** The {@link TieredCache}, keyed by ids. */
  @Override
  public TieredCache<String, Object> getNativeCache() {
    return cache;
  }

  /** The id {@code key} is stored under. */
  public String id(Object key) {
    return keys.toId(Objects.requireNonNull(key, "key"));
  }

  /** A hit, or null for a miss; a cached negative result also reads as a miss (see the class comment). */
  @Override
  public @Nullable ValueWrapper get(Object key) {
    Object value = cache.getIfPresent(id(key));
    return value == null ? null : new SimpleValueWrapper(value);
  }

  @Override
  @SuppressWarnings("unchecked")
  public <T> @Nullable T get(Object key, @Nullable Class<T> type) {
    Object value = cache.getIfPresent(id(key));
    if (value != null && type != null && !type.isInstance(value)) {
      throw new IllegalStateException("cache '" + getName() + "' holds a " + value.getClass().getName()
          + " under key " + key + ", not a " + type.getName());
    }
    return (T) value;
  }

  @Override
  @SuppressWarnings("unchecked")
  public <T> @Nullable T get(Object key, Callable<T> valueLoader) {
    try {
      return (T) cache.get(id(key), id -> {
        try {
          return valueLoader.call();
        } catch (Exception e) {
          throw new ValueRetrievalException(key, valueLoader, e);
        }
      });
    } catch (CacheLoaderException e) {
      throw new ValueRetrievalException(key, valueLoader, e.getCause());
    }
  }

  /** A future of the value, completing with null for a miss (a cached negative result included). */
  @Override
  public CompletableFuture<?> retrieve(Object key) {
    return cache.getIfPresentAsync(id(key));
  }

  @Override
  @SuppressWarnings("unchecked")
  public <T> CompletableFuture<T> retrieve(Object key, Supplier<CompletableFuture<T>> valueLoader) {
    // Lamina's loaders are synchronous: the load runs on the cache's executor and waits for the future there.
    CompletableFuture<@Nullable Object> result = cache.getAsync(id(key), id -> {
      try {
        return valueLoader.get().get(cache.config().loadTimeout().toNanos(), TimeUnit.NANOSECONDS);
      } catch (ExecutionException e) {
        Throwable cause = e.getCause() != null ? e.getCause() : e;
        throw cause instanceof RuntimeException r ? r : new CompletionException(cause);
      }
    });
    return (CompletableFuture<T>) (CompletableFuture<?>) result;
  }

  @Override
  public void put(Object key, @Nullable Object value) {
    String id = id(key);
    if (fill) {
      cache.get(id, k -> value);
      return;
    }
    write(id, value);
  }

  /** Fills {@code value} unless an entry is present; returns the present entry (null when it was absent). */
  @Override
  public @Nullable ValueWrapper putIfAbsent(Object key, @Nullable Object value) {
    String id = id(key);
    boolean[] loaded = new boolean[1];
    Object present = cache.get(id, k -> {
      loaded[0] = true;
      return value;
    });
    return loaded[0] ? null : new SimpleValueWrapper(present);
  }

  private void write(String id, @Nullable Object value) {
    if (value == null) {
      cache.invalidate(id);
    } else {
      cache.put(id, value); // the cache's write strategy: invalidates everywhere, stores only with a source version
    }
    if (putMode == PutMode.STORE) {
      cache.get(id, k -> value); // a guarded fill after the write: never replaces what a newer fill stored
    }
  }

  @Override
  public void evict(Object key) {
    cache.invalidate(id(key));
  }

  /** Invalidates {@code key} on every instance; returns false because prior presence is not known. */
  @Override
  public boolean evictIfPresent(Object key) {
    evict(key);
    return false;
  }

  @Override
  public void clear() {
    cache.invalidateAll();
  }

  /** Invalidates every entry on every instance; returns false because prior presence is not known. */
  @Override
  public boolean invalidate() {
    clear();
    return false;
  }

  @Override
  public String toString() {
    return "LaminaCache{" + getName() + (fill ? ", fill view" : "") + '}';
  }
}
