package io.lamina.internal;

import io.lamina.CacheLoader;
import io.lamina.spi.FillResult;
import io.lamina.spi.RemoteEntry;
import io.lamina.spi.Version;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Refreshes of entries that keep being served while they run: a stale entry within the stale-while-revalidate
 * window, or a fresh one nearing expiry (XFetch). At most one per key on this node, on the executor; no caller
 * waits for one.
 */
final class BackgroundRefresh<K, V> {

  private static final Logger LOG = Logger.getLogger(BackgroundRefresh.class.getName());

  private final CacheContext<K, V> ctx;
  private final ReadPath<K, V> reads;
  /** Keys with a background refresh running on this node. */
  private final ConcurrentHashMap<K, Boolean> refreshing = new ConcurrentHashMap<>();

  BackgroundRefresh(CacheContext<K, V> ctx, ReadPath<K, V> reads) {
    this.ctx = ctx;
    this.reads = reads;
  }

  /**
   * XFetch: refresh ahead of expiry with probability rising as it nears, scaled by what the value cost to get
   * (Vattani et al., "Optimal Probabilistic Cache Stampede Prevention"). Cheap for entries far from expiry.
   */
  boolean refreshEarly(ValueEntry ve, long now) {
    long remaining = ctx.policy.freshUntilNanos(ve) - now;
    double scale = ve.loadNanos(ctx.policy.entryTimeUnit) * ctx.policy.earlyRefreshBeta;
    if (scale <= 0 || remaining > 30 * scale) {
      return false; // -ln(U) exceeds 30 with probability e^-30: never worth the random draw
    }
    return scale * -Math.log(1 - ThreadLocalRandom.current().nextDouble()) >= remaining;
  }

  /** Starts one background refresh of {@code key} on this node, unless one is running. */
  void start(K key, ValueEntry stale, CacheLoader<? super K, ? extends V> loader) {
    if (refreshing.putIfAbsent(key, Boolean.TRUE) != null) {
      return;
    }
    ctx.counters.refreshes.increment();
    try {
      ctx.executor.execute(() -> {
        try {
          refresh(key, stale, loader);
        } catch (Throwable t) {
          LOG.log(Level.FINE, "cache '" + ctx.name + "': refresh of key '" + key + "' failed", t);
        } finally {
          refreshing.remove(key);
        }
      });
    } catch (RejectedExecutionException e) {
      refreshing.remove(key);
    }
  }

  /**
   * Refreshes a stale (or soon stale) entry while it keeps being served: no reservation is placed, so no caller
   * waits. L2 first (another node may have refreshed it); on a miss, the lease decides who loads — the holder
   * loads and fills L2, a node that finds another's lease waits for its wake-up (distributed single-flight) or
   * loads without filling L2. The new value replaces the stale entry only if nothing invalidated it meanwhile.
   */
  private void refresh(K key, ValueEntry stale, CacheLoader<? super K, ? extends V> loader) {
    long since = ctx.ticker.read();
    Generation generation = ctx.fills.generation();
    String id = ctx.id(key);
    if (ctx.remote == null) {
      V value = ctx.loads.callLoader(loader, key, false);
      ctx.fills.replace(key, stale, generation, since, value, Version.NONE, -1, ctx.policy.sourceVersionOf(value));
      return;
    }
    for (int attempt = 0; attempt < 2; attempt++) {
      String token = ctx.leaseToken;
      CompletableFuture<Void> wake = ctx.wakeUps.of(id);
      try {
        ReadPath.RemoteRead read = reads.readRemote(id, token);
        RemoteEntry entry = read.entry();
        if (entry.isHit()) {
          ctx.counters.l2Hits.increment();
          Object value = read.value();
          ctx.fills.replace(key, stale, generation, since, value, entry.version(), entry.remainingTtlMillis(),
              ctx.policy.sourceVersionOf(value));
          return;
        }
        ctx.counters.l2Misses.increment();
        if (entry.lease() == RemoteEntry.Lease.GRANTED) {
          try {
            V value = ctx.loads.callLoader(loader, key, false);
            FillResult fill = reads.fillRemote(id, token, value);
            if (fill != null && fill.stored()) {
              ctx.fills.replace(key, stale, generation, since, value, fill.version(), -1,
                  ctx.policy.sourceVersionOf(value));
            }
          } finally {
            ctx.wakeUps.loadEnded(id);
          }
          return;
        }
        if (entry.lease() != RemoteEntry.Lease.HELD_BY_OTHER) {
          return; // a write is in progress: it will invalidate the stale entry
        }
        if (!ctx.config.protection().distributedSingleFlight()) {
          V value = ctx.loads.callLoader(loader, key, false);
          ctx.fills.replace(key, stale, generation, since, value, entry.version(), -1,
              ctx.policy.sourceVersionOf(value));
          return;
        }
        if (attempt == 0) {
          wake.get(ctx.timeouts.load() + ctx.timeouts.remote(), TimeUnit.NANOSECONDS);
        }
      } catch (TimeoutException | ExecutionException e) {
        return; // the holder did not finish: keep serving stale; the next stale hit tries again
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      } finally {
        ctx.wakeUps.forget(id, wake);
      }
    }
  }
}
