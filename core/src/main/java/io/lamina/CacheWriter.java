package io.lamina;

import java.util.Map;

/**
 * Writes values to the source of truth, for {@link WriteStrategy#WRITE_THROUGH},
 * {@link WriteStrategy#WRITE_AROUND} and {@link WriteStrategy#WRITE_BEHIND}.
 *
 * @param <K> the key type
 * @param <V> the value type
 */
public interface CacheWriter<K, V> {

  /** Writes one value. An exception fails the write (write-behind retries it with backoff). */
  void write(K key, V value) throws Exception;

  /**
   * Writes a batch (write-behind only), newest value per key. The default writes one by one. An exception fails
   * the whole batch, which is retried; make the source write idempotent or transactional.
   */
  default void writeAll(Map<K, V> values) throws Exception {
    for (Map.Entry<K, V> e : values.entrySet()) {
      write(e.getKey(), e.getValue());
    }
  }
}
