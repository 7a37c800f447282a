package io.lamina.quarkus.runtime;

import io.lamina.TieredCacheListener;

/**
 * The extension's own listeners around the listener a {@code LaminaCacheCustomizer} gave a cache: a cache takes a
 * single listener, and a customizer may set it only once. A bean of this type exists when the extension's metrics
 * are on ({@code quarkus.lamina.metrics.enabled} with quarkus-micrometer); without one, a cache keeps its own.
 */
public interface CacheListeners {

  /** No listener of the extension's: the cache keeps {@code own}. */
  CacheListeners NONE = (cacheName, own) -> own;

  /** The listener cache {@code cacheName} is built with; {@code own} is the customizers' one, or a no-op. */
  TieredCacheListener around(String cacheName, TieredCacheListener own);
}
