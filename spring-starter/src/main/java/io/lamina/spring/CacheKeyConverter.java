package io.lamina.spring;

/**
 * Turns the keys Spring hands to a cache (method arguments, {@link org.springframework.cache.interceptor.SimpleKey}s,
 * or what a {@code key} expression returns) into Lamina's canonical ids: the text that names the entry in Redis
 * and in invalidation messages on every instance.
 *
 * <p>Two keys must get the same id exactly when they mean the same entry, on every instance and across restarts;
 * that is why identity-based {@code toString()}s are refused rather than used. Declare a bean of this type to
 * replace {@link #standard()}.
 */
@FunctionalInterface
public interface CacheKeyConverter {

  /**
   * The id of {@code key}.
   *
   * @throws IllegalArgumentException if the key has no canonical text
   */
  String toId(Object key);

  /**
   * Strings as themselves; numbers, booleans, characters, UUIDs, enum constants (by name) and {@code java.time}
   * values by their canonical text; {@code SimpleKey}s, records, lists and arrays of those as bracketed, escaped
   * lists. Keys whose text is equal are the same entry ({@code 1}, {@code 1L} and {@code "1"} are one key).
   * Anything else is refused with a message naming its class.
   */
  static CacheKeyConverter standard() {
    return StandardKeyConverter.INSTANCE;
  }
}
