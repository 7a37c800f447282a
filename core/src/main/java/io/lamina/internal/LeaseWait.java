package io.lamina.internal;

import io.lamina.CacheLoader;
import io.lamina.CacheLoaderException;
import io.lamina.ProtectionConfig;
import io.lamina.RemoteFailureMode;
import io.lamina.TierUnavailableException;
import io.lamina.internal.Reservation.Outcome;
import io.lamina.spi.RemoteEntry;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.jspecify.annotations.Nullable;

/**
 * The wait for another node's load of a key (distributed single-flight): this node found the key's L2 lease
 * held by another and waits for its wake-up, re-reading L2, instead of calling the source.
 */
final class LeaseWait<K, V> {

  private final CacheContext<K, V> ctx;
  private final ReadPath<K, V> reads;

  LeaseWait(CacheContext<K, V> ctx, ReadPath<K, V> reads) {
    this.ctx = ctx;
    this.reads = reads;
  }

  /**
   * Distributed single-flight: another node holds the key's lease, so wait for its value instead of calling the
   * source. The wake-up is registered before each re-read of L2, so a load that ends in between is not missed.
   * The wait is bounded by the remaining time of the lease first seen plus a remote timeout: when that lease
   * expires (its holder died) L2 is re-read, and this node takes the lease or, if another waiter took it first,
   * waits out the margin for that one's wake-up. Without a bus nobody can wake us, so L2 is re-read with a
   * backoff from 5 to 100 ms instead.
   *
   * @return the outcome, or null when the caller should fall back to loading without storing
   */
  @Nullable Outcome await(K key, String id, Reservation mine, CacheLoader<? super K, ? extends V> loader,
      long leaseLeftMillis) {
    ctx.counters.leaseWaits.increment();
    long leaseLeft = leaseLeftMillis > 0 ? TimeUnit.MILLISECONDS.toNanos(leaseLeftMillis) : ctx.timeouts.load();
    long deadline = ctx.ticker.read() + leaseLeft + ctx.timeouts.remote();
    long pollNanos = TimeUnit.MILLISECONDS.toNanos(5);
    boolean woken = false;
    String why;
    CompletableFuture<Void> wake = null;
    try {
      for (;;) {
        wake = ctx.wakeUps.of(id);
        String token = ctx.leaseToken;
        RemoteEntry entry;
        Object value;
        try {
          ReadPath.RemoteRead read = reads.readRemote(id, token);
          entry = read.entry();
          value = read.value();
        } catch (TierUnavailableException e) {
          if (ctx.config.remoteFailureMode() == RemoteFailureMode.FAIL) {
            throw e;
          }
          why = "L2 became unavailable";
          break;
        }
        if (entry.isHit()) {
          ctx.counters.l2Hits.increment();
          if (woken) {
            ctx.counters.wakeUps.increment();
          }
          ctx.fills.fill(key, mine, value, entry.version(), entry.remainingTtlMillis(),
              ctx.policy.sourceVersionOf(value));
          return new Outcome(value, true);
        }
        if (entry.lease() == RemoteEntry.Lease.GRANTED) {
          return reads.loadAndFill(key, id, mine, loader, token, entry); // the holder is gone or done: our turn
        }
        if (entry.lease() != RemoteEntry.Lease.HELD_BY_OTHER) {
          why = "a write is in progress";
          break;
        }
        long leaseEnds = entry.remainingTtlMillis() > 0
            ? ctx.ticker.read() + TimeUnit.MILLISECONDS.toNanos(entry.remainingTtlMillis() + 10) : deadline;
        if (woken) {
          why = "the other node's load ended without a value";
          break;
        }
        long left = deadline - ctx.ticker.read();
        if (left <= 0) {
          ctx.counters.leaseWaitsExpired.increment();
          why = "the other node's lease outlived the wait";
          break;
        }
        try {
          if (ctx.busNode != null) {
            // Until the holder wakes us, or its lease ends (it died), or the deadline.
            wake.get(Math.max(1, Math.min(left, leaseEnds - ctx.ticker.read())), TimeUnit.NANOSECONDS);
            woken = true;
          } else {
            wake.get(Math.min(left, pollNanos), TimeUnit.NANOSECONDS);
          }
        } catch (TimeoutException e) {
          pollNanos = Math.min(2 * pollNanos, TimeUnit.MILLISECONDS.toNanos(100));
        } catch (ExecutionException e) {
          throw new IllegalStateException("wake-up futures never fail", e);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new IllegalStateException("cache '" + ctx.name + "': interrupted while waiting for another node's"
              + " load of key '" + key + "'", e);
        }
      }
      if (ctx.config.protection().waitFallback() == ProtectionConfig.WaitFallback.FAIL) {
        ctx.local.remove(key, mine);
        throw new CacheLoaderException("cache '" + ctx.name + "': key '" + key + "' was being loaded by another node"
            + " and " + why + " (waitFallback FAIL)");
      }
      return null;
    } finally {
      if (wake != null) {
        ctx.wakeUps.forget(id, wake); // nobody may ever wake a wait that ended otherwise
      }
    }
  }
}
