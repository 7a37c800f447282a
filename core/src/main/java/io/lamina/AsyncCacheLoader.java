package io.lamina;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import org.jspecify.annotations.Nullable;

/**
 * Loads the value of one key from the source of truth without blocking the caller: for sources with an
 * asynchronous client (R2DBC, an HTTP client, another cache), so a miss through
 * {@link TieredCache#getAsync(Object, AsyncCacheLoader)} parks no thread while the source answers.
 *
 * <p>The same guards apply as to a {@link CacheLoader}: one load per key per node (and per cluster with
 * distributed single-flight), the miss rate limit, the loader's circuit breaker and the load timeout — a future
 * that does not complete within {@link TieredCacheConfig#loadTimeout()} is cancelled, its caller gets a
 * {@link CacheLoaderException} and its value, should it come later, is stored nowhere.
 *
 * @param <K> the key type
 * @param <V> the value type
 */
@FunctionalInterface
public interface AsyncCacheLoader<K, V> {

  /**
   * Starts loading {@code key}. Should return quickly: work that blocks belongs on {@code executor}.
   *
   * @param executor the cache's executor, for work the loader cannot do without blocking
   * @return a future of the value, or of null when the source has no such key (a negative result)
   * @throws Exception when the load cannot even start; the same as a future completed with it
   */
  CompletableFuture<? extends @Nullable V> asyncLoad(K key, Executor executor) throws Exception;
}
