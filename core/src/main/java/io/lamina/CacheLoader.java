package io.lamina;

import org.jspecify.annotations.Nullable;

/**
 * Loads the value of one key from the source of truth.
 *
 * @param <K> the key type
 * @param <V> the value type
 */
@FunctionalInterface
public interface CacheLoader<K, V> {

  /**
   * Loads {@code key}.
   *
   * @return the value, or null when the source has no such key: a <em>negative</em> result, cached with the
   *     cache's negative TTL and returned to callers as absent
   * @throws Exception when the source fails; nothing is cached and the exception reaches the caller (wrapped in
   *     a {@link CacheLoaderException} only if it is checked)
   */
  @Nullable V load(K key) throws Exception;
}
