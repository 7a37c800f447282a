package io.lamina.caffeine;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import com.github.benmanes.caffeine.cache.RemovalCause;
import io.lamina.Ticker;
import io.lamina.spi.LocalEntry;
import io.lamina.spi.LocalTier;
import io.lamina.spi.LocalTierProvider;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.LongAdder;
import org.jspecify.annotations.Nullable;

/**
 * The local tier on a Caffeine cache: size-bounded (W-TinyLFU), with each entry's own deadline as its expiry.
 *
 * <p>Values are the facade's entries, held as they are: a hit is one Caffeine lookup and no copy, decode or
 * allocation. The atomic operations are Caffeine's {@code asMap()} operations, which compare values by identity
 * here because entries do not override {@code equals}.
 *
 * @param <K> the key type
 */
public final class CaffeineLocalTier<K> implements LocalTier<K> {

  private final Cache<K, LocalEntry> cache;
  private final ConcurrentMap<K, LocalEntry> map;
  private final LongAdder evictions = new LongAdder();

  private CaffeineLocalTier(long maximumSize, Ticker ticker, Executor executor) {
    cache = Caffeine.newBuilder()
        .maximumSize(maximumSize)
        .ticker(ticker::read)
        .executor(executor)
        .expireAfter(new DeadlineExpiry<K>())
        .evictionListener((@Nullable K key, @Nullable LocalEntry value, RemovalCause cause) -> {
          if (cause == RemovalCause.SIZE) {
            evictions.increment();
          }
        })
        .build();
    map = cache.asMap();
  }

  /** The provider that {@link java.util.ServiceLoader} finds, and that a builder may be given explicitly. */
  public static LocalTierProvider provider() {
    return new Provider();
  }

  @Override
  public @Nullable LocalEntry getIfPresent(K key) {
    return cache.getIfPresent(key);
  }

  @Override
  public @Nullable LocalEntry putIfAbsent(K key, LocalEntry entry) {
    return map.putIfAbsent(key, entry);
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
    cache.invalidate(key);
  }

  @Override
  public void invalidateAll() {
    cache.invalidateAll();
  }

  @Override
  public long estimatedSize() {
    return cache.estimatedSize();
  }

  @Override
  public long evictionCount() {
    return evictions.sum();
  }

  /** Runs Caffeine's pending maintenance now (eviction, expiry), for tests and shutdown. */
  public void cleanUp() {
    cache.cleanUp();
  }

  @Override
  public void close() {
    cache.invalidateAll();
    cache.cleanUp();
  }

  /** Expiry read from the entry: its deadline on the shared ticker, whether created or replaced. */
  private static final class DeadlineExpiry<K> implements Expiry<K, LocalEntry> {
    @Override
    public long expireAfterCreate(K key, LocalEntry value, long currentTime) {
      return Math.max(0, value.deadlineNanos() - currentTime);
    }

    @Override
    public long expireAfterUpdate(K key, LocalEntry value, long currentTime, long currentDuration) {
      return Math.max(0, value.deadlineNanos() - currentTime);
    }

    @Override
    public long expireAfterRead(K key, LocalEntry value, long currentTime, long currentDuration) {
      return currentDuration;
    }
  }

  /** Registered in {@code META-INF/services}; public only for the service loader. */
  public static final class Provider implements LocalTierProvider {
    @Override
    public <K> LocalTier<K> create(String cacheName, long maximumSize, Ticker ticker, Executor executor) {
      return new CaffeineLocalTier<>(maximumSize, ticker, executor);
    }
  }
}
