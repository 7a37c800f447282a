package io.lamina.warming;

import io.github.resilience4j.ratelimiter.RateLimiter;
import io.lamina.CacheLoader;
import io.lamina.HotKey;
import io.lamina.InvalidSettingException;
import io.lamina.TieredCache;
import io.lamina.spi.KeyCodec;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.jspecify.annotations.Nullable;

/**
 * Keeps the keys that stay hot warm: every {@code period}, each of this node's current hot keys
 * ({@link TieredCache#hotKeys()}) whose L2 copy expires within {@code ahead} is reloaded from the source by
 * {@link TieredCache#refreshAhead}, so readers never meet its expiry. Across the cluster one node per key wins
 * L2's refresh lease and reloads it; the others find it refreshed (no longer due) or leased, and skip it. A key
 * nobody reads leaves the hot-key window, and with it the refresh: it then expires like any other.
 *
 * <p>Rounds run on one daemon thread and never overlap; a failed reload is counted and logged, and the key is
 * tried again next round while it stays due. Source calls are limited to {@code rateLimit} keys per second.
 * Needs hot-key tracking on the cache ({@code ProtectionConfig.hotKeys}). Close it to stop.
 */
public final class HotKeyRefresher implements AutoCloseable {

  private static final Logger LOG = Logger.getLogger(HotKeyRefresher.class.getName());

  private final TieredCache<?, ?> cache;
  private final ScheduledExecutorService scheduler;
  private final AtomicLong rounds = new AtomicLong();
  private final AtomicLong refreshed = new AtomicLong();
  private final AtomicLong failures = new AtomicLong();

  private <K, V> HotKeyRefresher(TieredCache<K, V> cache, KeyCodec<K> keyCodec, Duration period, Duration ahead,
      int rateLimit, @Nullable CacheLoader<? super K, ? extends V> loader) {
    this.cache = cache;
    RateLimiter limiter = SourceRateLimit.of(cache.name() + "-refresh", rateLimit, period);
    this.scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "lamina-refresh-" + cache.name());
      t.setDaemon(true);
      return t;
    });
    long every = period.toNanos();
    scheduler.scheduleWithFixedDelay(() -> round(cache, keyCodec, ahead, limiter, loader), every, every,
        TimeUnit.NANOSECONDS);
  }

  /**
   * Starts refreshing the hot keys of {@code cache} every {@code period}, each one whose L2 copy expires within
   * {@code ahead}, at most {@code rateLimit} source keys per second.
   *
   * @param keyCodec the cache's key codec, to turn hot-key ids back into keys ({@link KeyCodec#fromId})
   * @throws InvalidSettingException if {@code ahead} is not longer than {@code period} (a key could expire
   *     between two rounds) or not shorter than the L2 TTL (every key would always be due), {@code period} is under
   *     100 ms or {@code rateLimit} under 1
   * @throws IllegalStateException if the cache tracks no hot keys
   */
  public static <K> HotKeyRefresher start(TieredCache<K, ?> cache, KeyCodec<K> keyCodec, Duration period,
      Duration ahead, int rateLimit) {
    return start(cache, keyCodec, period, ahead, rateLimit, null);
  }

  /**
   * {@link #start(TieredCache, KeyCodec, Duration, Duration, int)} reloading with {@code loader} (when not null)
   * instead of the cache's own loader, for caches built without one (such as the Spring starter's).
   */
  public static <K, V> HotKeyRefresher start(TieredCache<K, V> cache, KeyCodec<K> keyCodec, Duration period,
      Duration ahead, int rateLimit, @Nullable CacheLoader<? super K, ? extends V> loader) {
    Objects.requireNonNull(cache, "cache");
    Objects.requireNonNull(keyCodec, "keyCodec");
    Objects.requireNonNull(period, "period");
    Objects.requireNonNull(ahead, "ahead");
    if (period.compareTo(Duration.ofMillis(100)) < 0) {
      throw new InvalidSettingException("warming.refresh.period", period, "must be at least 100 ms");
    }
    if (ahead.compareTo(period) <= 0) {
      throw new InvalidSettingException("warming.refresh.ahead", ahead, "must be longer than {0} (" + period
          + "), or a hot key may expire between two rounds", "warming.refresh.period");
    }
    if (ahead.compareTo(cache.config().l2Ttl()) >= 0) {
      throw new InvalidSettingException("warming.refresh.ahead", ahead, "must be shorter than the L2 TTL, {0} ("
          + cache.config().l2Ttl() + "), or every hot key would be reloaded every round", "l2.ttl");
    }
    if (rateLimit < 1) {
      throw new InvalidSettingException("warming.refresh.rateLimit", rateLimit, "must be at least 1");
    }
    if (cache.config().protection().hotKeys() == 0) {
      throw new IllegalStateException("cache '" + cache.name() + "' tracks no hot keys, so there is nothing to"
          + " refresh: set protection.hotKeys (for example 100)");
    }
    return new HotKeyRefresher(cache, keyCodec, period, ahead, rateLimit, loader);
  }

  private <K, V> void round(TieredCache<K, V> typed, KeyCodec<K> keyCodec, Duration ahead, RateLimiter limiter,
      @Nullable CacheLoader<? super K, ? extends V> loader) {
    rounds.incrementAndGet();
    int failed = 0;
    String lastError = null;
    for (HotKey hot : cache.hotKeys()) {
      if (scheduler.isShutdown()) {
        return;
      }
      try {
        if (!limiter.acquirePermission()) {
          return; // the limit is spent for this round; the next round goes on
        }
        K key = keyCodec.fromId(hot.id());
        if (loader == null ? typed.refreshAhead(key, ahead) : typed.refreshAhead(key, ahead, loader)) {
          refreshed.incrementAndGet();
        }
      } catch (RuntimeException e) {
        failed++;
        lastError = e.toString();
        LOG.log(Level.FINE, "cache '" + cache.name() + "': refreshing hot key '" + hot.id() + "' failed", e);
      }
    }
    if (failed > 0) {
      failures.addAndGet(failed);
      String last = lastError;
      int n = failed;
      LOG.warning(() -> "cache '" + cache.name() + "': " + n + " hot keys could not be refreshed ahead of expiry"
          + " (they are tried again while due); last error: " + last);
    }
  }

  /** The name of the cache whose hot keys are refreshed. */
  public String cache() {
    return cache.name();
  }

  /** Rounds started so far. */
  public long rounds() {
    return rounds.get();
  }

  /** Keys this node reloaded and stored in L2. */
  public long refreshed() {
    return refreshed.get();
  }

  /** Reloads that failed (the source or L2 threw). */
  public long failures() {
    return failures.get();
  }

  /** Stops refreshing; a round in progress ends after its current key. */
  @Override
  public void close() {
    scheduler.shutdownNow();
  }
}
