package io.lamina.quarkus;

import io.lamina.TieredCache;
import io.quarkus.cache.Cache;
import java.util.concurrent.CompletableFuture;
import org.jspecify.annotations.Nullable;

/**
 * A Quarkus {@link Cache} backed by Lamina ({@code quarkus.cache.type=lamina}). Reach it from an injected
 * {@code @CacheName("products") Cache} with {@code cache.as(LaminaCache.class)}.
 *
 * <p>Keys are the objects Quarkus' annotations use (a parameter, a {@link io.quarkus.cache.CompositeCacheKey},
 * the cache's default key); each becomes a canonical id ({@link #idOf}) whose form depends on the key's type, so
 * {@code 1L}, {@code 1} and {@code "1"} are three different entries. The {@link TieredCache} behind works on
 * those ids. Thread-safe.
 */
public interface LaminaCache extends Cache {

  /** The Lamina cache behind this one; its keys are ids made by {@link #idOf}. */
  TieredCache<String, Object> tiered();

  /**
   * The canonical id of {@code key}: the same on every instance for equal keys, distinct for keys of different
   * types or values.
   *
   * @throws IllegalArgumentException if the key's type has no canonical form (the message says what to use)
   */
  String idOf(Object key);

  /** The value cached for {@code key} in L1 or Redis, or null when absent or negative. Never loads. */
  CompletableFuture<@Nullable Object> getIfPresent(Object key);

  /**
   * Writes {@code value} for {@code key}: as every Lamina write, this invalidates the key on every instance
   * (the next read loads), unless the cache stores values with a source version.
   */
  CompletableFuture<Void> put(Object key, Object value);
}
