package io.lamina.quarkus;

import io.lamina.CacheLoader;
import org.jspecify.annotations.Nullable;

/**
 * The application's part in warming one cache: which keys to warm (its own query, such as the ids of the best
 * sellers) and how to load a key's value from the source for the keys Redis lacks. Declare CDI beans of this
 * type; they count for a cache whose {@code quarkus.lamina.caches."name".warming.enabled} is true (and give the
 * loader of {@code warming.refresh}).
 *
 * <p>Keys are the objects the cached method is called with: for {@code @CacheResult(cacheName = "products")
 * Product find(long id)}, the {@code Long} 42; for several {@code @CacheKey} parameters, a
 * {@code CompositeCacheKey}. The extension turns them into the cache's ids ({@link LaminaCache#idOf}). The loader
 * gets the same objects, and for the ids of {@code warming.keys} and of recorded hot keys the key they stand for
 * (strings, numbers, UUIDs, and composite keys of those; a key of another type is reported as failed). Values the
 * loader returns must be what the cached method returns; null caches a negative result, like the method
 * returning null.
 */
public interface LaminaWarmupSource {

  /** The name of the cache this source warms. */
  String cache();

  /**
   * The keys to warm, most important first (a warm-up cut short by its deadline has warmed the first ones).
   * Called once per warm-up, on a warming thread.
   *
   * @throws Exception when the keys cannot be listed; the warm-up reports it and continues with other sources
   */
  Iterable<?> keys() throws Exception;

  /**
   * Loads one key's value from the source, for the keys Redis lacks; null (the default) to load nothing, so only
   * what Redis holds is copied. The first source of a cache that has a loader provides it.
   */
  default @Nullable CacheLoader<Object, Object> loader() {
    return null;
  }

  /** A short name for logs and progress. */
  default String name() {
    return "LaminaWarmupSource(" + cache() + ")";
  }
}
