package io.lamina.spi;

import io.lamina.Ticker;
import java.util.concurrent.Executor;

/**
 * Creates local tiers. The facade finds one with {@link java.util.ServiceLoader} unless the builder is given
 * one explicitly; {@code lamina-l1-local} registers its Caffeine implementation.
 */
public interface LocalTierProvider {

  /**
   * Creates the local tier of one cache.
   *
   * @param cacheName the cache's name, for logs
   * @param maximumSize the bound on entries, reservations included
   * @param ticker the clock entry deadlines are measured on
   * @param executor where maintenance work may run
   */
  <K> LocalTier<K> create(String cacheName, long maximumSize, Ticker ticker, Executor executor);
}
