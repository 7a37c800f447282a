package io.lamina.quarkus;

/**
 * Tunes one Lamina cache in code before the extension builds it: what properties cannot say (a writer, the
 * source's version of a value, a listener, a key filter, a codec of your own) or what you would rather compute.
 * Declare CDI beans of this type ({@code @Singleton} or {@code @ApplicationScoped}); they run for every cache of
 * type {@code lamina}, after the properties are applied, highest {@code @jakarta.annotation.Priority} first
 * (check {@link LaminaCacheSettings#name()} to target one cache). They run once, on the thread that builds the
 * caches at start-up; a customizer that throws stops the start-up.
 */
@FunctionalInterface
public interface LaminaCacheCustomizer {

  /** Adjusts {@code cache}'s settings. */
  void customize(LaminaCacheSettings cache);
}
