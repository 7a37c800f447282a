package io.lamina.internal;

import io.lamina.CacheLoader;
import io.lamina.spi.FillResult;
import io.lamina.spi.LocalEntry;
import io.lamina.spi.RemoteEntry;
import org.jspecify.annotations.Nullable;

/**
 * Reloads one key ahead of its L2 expiry, by the one node that wins the key's refresh lease
 * ({@link io.lamina.spi.RemoteStore#leaseForRefresh}). The old value keeps being served everywhere meanwhile. The
 * new value reaches L2 only with the lease (a write or invalidation in between revokes it, so the write wins),
 * and replaces this node's L1 entry only if that entry is still the one seen before the load and no invalidation
 * recorded since says the value may be old. Other nodes keep their L1 copies until they expire, then read L2.
 */
final class AheadRefresh<K, V> {

  private final CacheContext<K, V> ctx;

  AheadRefresh(CacheContext<K, V> ctx) {
    this.ctx = ctx;
  }

  /** Whether this node reloaded {@code key} and stored the new value in L2. */
  boolean refresh(K key, CacheLoader<? super K, ? extends V> loader, long aheadMillis) {
    if (ctx.remote == null) {
      return false;
    }
    String id = ctx.id(key);
    long since = ctx.ticker.read();
    Generation generation = ctx.fills.generation();
    LocalEntry before = ctx.local.getIfPresent(key);
    String token = CacheContext.newLeaseToken();
    RemoteEntry lease = ctx.l2.await("leaseForRefresh",
        () -> ctx.l2.remote().leaseForRefresh(id, token, ctx.config.loadTimeout().toMillis(), aheadMillis));
    if (lease.lease() != RemoteEntry.Lease.GRANTED) {
      return false;
    }
    ctx.counters.refreshes.increment();
    try {
      V value = ctx.loads.callLoader(loader, key, false);
      byte @Nullable [] payload = value == null ? null : ctx.l2.encodeForFill(id, value);
      if (value != null && payload == null) {
        return false; // the entry expires as it would have without a refresh
      }
      long sourceVersion = ctx.policy.sourceVersionOf(value);
      FillResult fill = ctx.l2.await("fill",
          () -> ctx.l2.remote().fill(id, token, payload, ctx.policy.l2TtlMillis(value), sourceVersion));
      if (!fill.stored()) {
        ctx.counters.rejectedFills.increment();
        ctx.safely(() -> ctx.listener.onFillRejected(ctx.name, id));
        return false;
      }
      ctx.counters.l2Puts.increment();
      if (before instanceof ValueEntry ve && ve.generation == generation) {
        ctx.fills.replace(key, ve, generation, since, value, fill.version(), -1, ctx.policy.sourceVersionOf(value));
      }
      return true;
    } finally {
      ctx.wakeUps.loadEnded(id);
    }
  }
}
