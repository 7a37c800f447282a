package io.lamina.benchmarks;

import io.lamina.Ticker;
import io.lamina.caffeine.CaffeineLocalTier;
import io.lamina.spi.LocalEntry;
import io.lamina.spi.LocalTier;
import io.lamina.spi.LocalTierProvider;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.LongAdder;
import org.jspecify.annotations.Nullable;

/**
 * Caffeine's local tier with a probe: it tells the moment a key was dropped ({@link #armed}) and counts drops.
 * That moment is when the node stops serving the old value, so a propagation time needs no polling (a poller on
 * two cores would delay the very messages it waits for).
 */
public final class ProbeLocalTier implements LocalTierProvider {

  private final LocalTierProvider delegate = CaffeineLocalTier.provider();
  private final Map<Object, CompletableFuture<Long>> armed = new ConcurrentHashMap<>();
  private final LongAdder dropped = new LongAdder();

  /** A future completed with {@link System#nanoTime()} right after {@code key} is next dropped from L1. */
  public CompletableFuture<Long> armed(Object key) {
    CompletableFuture<Long> f = new CompletableFuture<>();
    armed.put(key, f);
    return f;
  }

  /** Forgets an armed key (after a timeout). */
  public void disarm(Object key) {
    armed.remove(key);
  }

  /** Keys dropped so far, one by one (whole-tier flushes are not counted). */
  public long dropped() {
    return dropped.sum();
  }

  @Override
  public <K> LocalTier<K> create(String cacheName, long maximumSize, Ticker ticker, Executor executor) {
    LocalTier<K> tier = delegate.create(cacheName, maximumSize, ticker, executor);
    return new LocalTier<>() {
      @Override
      public @Nullable LocalEntry getIfPresent(K key) {
        return tier.getIfPresent(key);
      }

      @Override
      public @Nullable LocalEntry putIfAbsent(K key, LocalEntry entry) {
        return tier.putIfAbsent(key, entry);
      }

      @Override
      public boolean replace(K key, LocalEntry expected, LocalEntry entry) {
        return tier.replace(key, expected, entry);
      }

      @Override
      public boolean remove(K key, LocalEntry expected) {
        return tier.remove(key, expected);
      }

      @Override
      public void invalidate(K key) {
        tier.invalidate(key);
        dropped.increment();
        if (!armed.isEmpty()) {
          CompletableFuture<Long> f = armed.remove(key);
          if (f != null) {
            f.complete(System.nanoTime());
          }
        }
      }

      @Override
      public void invalidateAll() {
        tier.invalidateAll();
      }

      @Override
      public long estimatedSize() {
        return tier.estimatedSize();
      }

      @Override
      public long evictionCount() {
        return tier.evictionCount();
      }

      @Override
      public void close() {
        tier.close();
      }
    };
  }
}
