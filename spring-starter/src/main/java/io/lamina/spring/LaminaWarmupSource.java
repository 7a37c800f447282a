package io.lamina.spring;

import io.lamina.CacheLoader;
import io.lamina.warming.WarmupSource;
import org.jspecify.annotations.Nullable;

/**
 * The application's part in warming one cache: which keys to warm (its own query, such as the ids of the best
 * sellers) and how to load a key's value from the source for the keys Redis lacks. Declare beans of this type;
 * they count for a cache whose {@code lamina.caches.<name>.warming.enabled} is true.
 *
 * <p>Keys are cache ids, as the cache's {@link CacheKeyConverter} writes them: for a method
 * {@code @Cacheable("products") Product find(long id)}, the id {@code "42"}; the loader gets the same id
 * ({@code id -> repository.find(Long.parseLong(id))}). Values the loader returns must be what the cached method
 * returns. A loader that returns null caches a negative result, like the method returning null.
 */
public interface LaminaWarmupSource extends WarmupSource<String> {

  /** The name of the cache this source warms. */
  String cache();

  /**
   * Loads one id's value from the source, for the keys Redis lacks; null (the default) to load nothing, so only
   * what Redis holds is copied. The first source of a cache that has a loader provides it.
   */
  default @Nullable CacheLoader<String, Object> loader() {
    return null;
  }

  @Override
  default String name() {
    return "LaminaWarmupSource(" + cache() + ")";
  }
}
