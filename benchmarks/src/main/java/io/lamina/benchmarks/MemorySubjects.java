package io.lamina.benchmarks;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import io.lamina.ProtectionConfig;
import io.lamina.Ticker;
import io.lamina.TieredCache;
import io.lamina.TieredCacheConfig;
import io.lamina.caffeine.CaffeineLocalTier;
import io.lamina.spi.LocalTier;
import io.lamina.spi.LocalTierProvider;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Executor;
import org.jspecify.annotations.Nullable;

/** The caches the memory suite fills: raw Caffeine two ways, and Lamina's L1 seen from its local tier and whole. */
final class MemorySubjects {

  static final String CAFFEINE_WRITE = "caffeine-write";
  static final String CAFFEINE_VARIABLE = "caffeine-variable";
  static final String LAMINA = "lamina";
  static final String LAMINA_WHOLE = "lamina-whole";
  static final List<String> NAMES = List.of(CAFFEINE_WRITE, CAFFEINE_VARIABLE, LAMINA, LAMINA_WHOLE);
  static final Duration TTL = Duration.ofMinutes(5);

  private MemorySubjects() {}

  /** One cache under measurement. */
  interface Subject extends AutoCloseable {
    /** Where the graph walk starts. */
    Object root();

    void fill(String key, byte[] value);

    /** Runs pending maintenance, so buffered work is not counted. */
    void settle();

    long size();

    @Override
    void close();
  }

  static String label(String name) {
    return switch (name) {
      case CAFFEINE_WRITE -> "Caffeine, expireAfterWrite";
      case CAFFEINE_VARIABLE -> "Caffeine, variable expiry";
      case LAMINA -> "Lamina L1 (its local tier)";
      case LAMINA_WHOLE -> "Lamina, whole TieredCache";
      default -> throw new IllegalArgumentException(name);
    };
  }

  static Subject create(String name, int entries) {
    long bound = entries + entries / 4L;
    return switch (name) {
      case CAFFEINE_WRITE -> caffeine(Caffeine.newBuilder().maximumSize(bound).expireAfterWrite(TTL)
          .executor(Runnable::run).build());
      case CAFFEINE_VARIABLE -> caffeine(Caffeine.newBuilder().maximumSize(bound).expireAfter(new FixedExpiry())
          .executor(Runnable::run).build());
      case LAMINA -> lamina(bound, false);
      case LAMINA_WHOLE -> lamina(bound, true);
      default -> throw new IllegalArgumentException(name);
    };
  }

  private static Subject caffeine(Cache<String, byte[]> cache) {
    return new Subject() {
      @Override
      public Object root() {
        return cache;
      }

      @Override
      public void fill(String key, byte[] value) {
        if (cache.get(key, k -> value) != value) {
          throw new IllegalStateException("key " + key + " was already present");
        }
      }

      @Override
      public void settle() {
        cache.cleanUp();
      }

      @Override
      public long size() {
        return cache.estimatedSize();
      }

      @Override
      public void close() {
        cache.invalidateAll();
      }
    };
  }

  private static Subject lamina(long bound, boolean whole) {
    SameThreadCaffeine provider = new SameThreadCaffeine();
    TieredCache<String, byte[]> cache = TieredCache.<String, byte[]>newBuilder("memory")
        .config(TieredCacheConfig.custom().l1MaximumSize(bound).l1ExpireAfterWrite(TTL)
            .protection(ProtectionConfig.custom().loadOnCallerThread(true).build())
            .build())
        .local(provider)
        .build();
    return new Subject() {
      @Override
      public Object root() {
        return whole ? cache : Objects.requireNonNull(provider.tier, "no local tier was created");
      }

      @Override
      public void fill(String key, byte[] value) {
        if (cache.get(key, k -> value) != value) {
          throw new IllegalStateException("key " + key + " was already present");
        }
      }

      @Override
      public void settle() {
        Objects.requireNonNull(provider.tier).cleanUp();
      }

      @Override
      public long size() {
        return cache.stats().l1().size();
      }

      @Override
      public void close() {
        cache.close();
      }
    };
  }

  /**
   * Lamina's Caffeine local tier with its maintenance on the calling thread (like the raw caches here), which keeps
   * a reference to the tier it made so the walk can start there.
   */
  private static final class SameThreadCaffeine implements LocalTierProvider {
    private final LocalTierProvider delegate = CaffeineLocalTier.provider();
    @Nullable CaffeineLocalTier<?> tier;

    @Override
    public <K> LocalTier<K> create(String cacheName, long maximumSize, Ticker ticker, Executor executor) {
      LocalTier<K> made = delegate.create(cacheName, maximumSize, ticker, Runnable::run);
      tier = (CaffeineLocalTier<?>) made;
      return made;
    }
  }

  /** Every entry lives {@link #TTL} from its last write, read from no value: the variable-expiry baseline. */
  private static final class FixedExpiry implements Expiry<String, byte[]> {
    @Override
    public long expireAfterCreate(String key, byte[] value, long currentTime) {
      return TTL.toNanos();
    }

    @Override
    public long expireAfterUpdate(String key, byte[] value, long currentTime, long currentDuration) {
      return TTL.toNanos();
    }

    @Override
    public long expireAfterRead(String key, byte[] value, long currentTime, long currentDuration) {
      return currentDuration;
    }
  }
}
