package io.lamina;

import java.util.Map;
import java.util.Set;

/**
 * Loads many keys from the source of truth in one call, for {@link TieredCache#getAll}.
 *
 * @param <K> the key type
 * @param <V> the value type
 */
@FunctionalInterface
public interface BulkLoader<K, V> {

  /**
   * Loads {@code keys}.
   *
   * @return the values found; a requested key missing from the map is a negative result. Keys that were not
   *     requested are ignored.
   * @throws Exception when the source fails; nothing is cached and the exception reaches the caller
   */
  Map<K, V> loadAll(Set<? extends K> keys) throws Exception;
}
