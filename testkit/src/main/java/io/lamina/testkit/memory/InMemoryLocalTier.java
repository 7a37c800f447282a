package io.lamina.testkit.memory;

import io.lamina.Ticker;
import io.lamina.spi.LocalEntry;
import io.lamina.spi.LocalTier;
import io.lamina.spi.LocalTierProvider;
import java.util.Iterator;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;

/**
 * A local tier on a {@link ConcurrentHashMap}, for unit tests of the facade: deadlines are honoured on read, and
 * past the size bound an arbitrary entry is evicted. Not for production (no frequency-aware eviction).
 *
 * @param <K> the key type
 */
public final class InMemoryLocalTier<K> implements LocalTier<K> {

  private final ConcurrentHashMap<K, LocalEntry> map = new ConcurrentHashMap<>();
  private final long maximumSize;
  private final Ticker ticker;
  private final AtomicLong evictions = new AtomicLong();

  public InMemoryLocalTier(long maximumSize, Ticker ticker) {
    this.maximumSize = maximumSize;
    this.ticker = ticker;
  }

  /** A provider creating in-memory local tiers. */
  public static LocalTierProvider provider() {
    return new LocalTierProvider() {
      @Override
      public <K> LocalTier<K> create(String cacheName, long maximumSize, Ticker ticker, Executor executor) {
        return new InMemoryLocalTier<>(maximumSize, ticker);
      }
    };
  }

  @Override
  public @Nullable LocalEntry getIfPresent(K key) {
    LocalEntry e = map.get(key);
    if (e != null && ticker.read() - e.deadlineNanos() >= 0) {
      map.remove(key, e);
      return null;
    }
    return e;
  }

  @Override
  public @Nullable LocalEntry putIfAbsent(K key, LocalEntry entry) {
    LocalEntry present = getIfPresent(key);
    if (present != null) {
      return present;
    }
    present = map.putIfAbsent(key, entry);
    if (present == null) {
      evictIfNeeded(key);
    }
    return present;
  }

  @Override
  public boolean replace(K key, LocalEntry expected, LocalEntry entry) {
    return map.replace(key, expected, entry);
  }

  @Override
  public boolean remove(K key, LocalEntry expected) {
    return map.remove(key, expected);
  }

  @Override
  public void invalidate(K key) {
    map.remove(key);
  }

  @Override
  public void invalidateAll() {
    map.clear();
  }

  @Override
  public long estimatedSize() {
    return map.size();
  }

  @Override
  public long evictionCount() {
    return evictions.get();
  }

  private void evictIfNeeded(K added) {
    Iterator<K> it = map.keySet().iterator();
    while (map.size() > maximumSize && it.hasNext()) {
      K victim = it.next();
      if (!victim.equals(added) && map.remove(victim) != null) {
        evictions.incrementAndGet();
      }
    }
  }
}
