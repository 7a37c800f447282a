package io.lamina.spring;

/**
 * Tunes one Lamina cache in code before it is built: what properties cannot say (a writer, the source's
 * version of a value, a listener, a codec of your own) or what you would rather compute. Declare beans of this
 * type; they run in their {@link org.springframework.core.annotation.Order order}, after the properties are
 * applied, for every cache the starter builds (check {@link LaminaCacheSettings#name()} to target one).
 */
@FunctionalInterface
public interface LaminaCacheCustomizer {

  /** Adjusts {@code cache}'s settings. */
  void customize(LaminaCacheSettings cache);
}
