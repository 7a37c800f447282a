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
   * {@link io.lamina.CanonicalKeys}: strings, numbers, booleans, characters, UUIDs, enum constants and
   * {@code java.time} values tagged with their type ({@code "1"} is {@code s:1}, {@code 1L} is {@code l:1},
   * {@code 1} is {@code i:1}: three different entries); {@code SimpleKey}s as {@code [a,b]}, records as
   * {@code r:full.ClassName[a,b]}, lists and arrays as {@code L[a,b]}, escaped. Anything else is refused with a
   * message naming its class.
   */
  static CacheKeyConverter standard() {
    return StandardKeyConverter.INSTANCE;
  }
}
