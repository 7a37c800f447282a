package io.lamina.internal;

import io.lamina.CacheLoader;
import io.lamina.CacheLoaderException;
import io.lamina.ProtectionConfig;
import io.lamina.RemoteFailureMode;
import io.lamina.TierUnavailableException;
import io.lamina.internal.Reservation.Outcome;
import io.lamina.spi.FillResult;
import io.lamina.spi.LocalEntry;
import io.lamina.spi.RemoteEntry;
import io.lamina.spi.Version;
import java.time.Duration;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.jspecify.annotations.Nullable;

/**
 * Single-key reads: the L1 hit path, and on a miss the guarded load through L2 and the source.
 *
 * <p>A miss places a {@link Reservation} in L1 first; the remote read asks for a lease; a value loaded from the
 * source is filled into L2 only with that lease, and into L1 only by replacing the reservation. Any write or
 * invalidation in between revokes the lease and removes the reservation, so the load's older value is served
 * to its own callers but stored nowhere.
 *
 * <p>Past 500 lines because the background refresh (stale-while-revalidate, early refresh) and the wait for
 * another node's lease still live here; both have their own state and are the next to become their own types.
 */
final class ReadPath<K, V> {

  private static final Logger LOG = Logger.getLogger(ReadPath.class.getName());

  private final CacheContext<K, V> ctx;
  /** Keys with a background refresh running on this node. */
  private final ConcurrentHashMap<K, Boolean> refreshing = new ConcurrentHashMap<>();

  ReadPath(CacheContext<K, V> ctx) {
    this.ctx = ctx;
  }

  /**
   * The hit path: no allocation, no lock, no decoding (with stale serving on, one ticker read). Returns
   * {@code this} as a miss marker. With {@code loader} a stale entry within the stale-while-revalidate window is
   * served while one refresh runs, and a fresh one nearing expiry may be refreshed early (XFetch).
   */
  @Nullable Object readLocal(K key, @Nullable CacheLoader<? super K, ? extends V> loader) {
    HotKeySketch sketch = ctx.hotKeys;
    if (sketch != null) {
      sketch.record(ctx.keyCodec.toId(key));
    }
    return serveLocal(key, ctx.local.getIfPresent(key), loader);
  }

  /** {@link #readLocal} for an entry already looked up (and a read already recorded). */
  @Nullable Object serveLocal(K key, @Nullable LocalEntry e,
      @Nullable CacheLoader<? super K, ? extends V> loader) {
    if (e instanceof ValueEntry ve && ve.generation == ctx.generation() && ctx.servable(ve)) {
      if (ctx.policy.staleWindowNanos == 0) {
        ctx.counters.l1Hits.increment();
        return ve.value;
      }
      long now = ctx.ticker.read();
      if (!ctx.policy.isStale(ve, now)) {
        ctx.counters.l1Hits.increment();
        if (loader != null && ctx.policy.earlyRefreshBeta > 0 && refreshEarly(ve, now)) {
          refreshInBackground(key, ve, loader);
        }
        return ve.value;
      }
      if (ctx.mayServeStale(ve, now)) {
        ctx.counters.l1Hits.increment();
        ctx.counters.staleServed.increment();
        if (loader != null) {
          refreshInBackground(key, ve, loader);
        }
        return ve.value;
      }
    }
    return this;
  }

  /**
   * XFetch: refresh ahead of expiry with probability rising as it nears, scaled by what the value cost to get
   * (Vattani et al., "Optimal Probabilistic Cache Stampede Prevention"). Cheap for entries far from expiry.
   */
  private boolean refreshEarly(ValueEntry ve, long now) {
    long remaining = ctx.policy.freshUntilNanos(ve) - now;
    double scale = ve.loadNanos(ctx.policy.entryTimeUnit) * ctx.policy.earlyRefreshBeta;
    if (scale <= 0 || remaining > 30 * scale) {
      return false; // -ln(U) exceeds 30 with probability e^-30: never worth the random draw
    }
    return scale * -Math.log(1 - ThreadLocalRandom.current().nextDouble()) >= remaining;
  }

  /** Starts one background refresh of {@code key} on this node, unless one is running. */
  private void refreshInBackground(K key, ValueEntry stale, CacheLoader<? super K, ? extends V> loader) {
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
    Generation generation = ctx.generation();
    String id = ctx.id(key);
    if (ctx.remote == null) {
      V value = ctx.loads.callLoader(loader, key, false);
      ctx.replaceLocal(key, stale, generation, since, value, Version.NONE, -1, ctx.policy.sourceVersionOf(value));
      return;
    }
    for (int attempt = 0; attempt < 2; attempt++) {
      String token = ctx.leaseToken;
      CompletableFuture<Void> wake = ctx.wakeUpOf(id);
      try {
        RemoteRead read = readRemote(id, token);
        RemoteEntry entry = read.entry();
        if (entry.isHit()) {
          ctx.counters.l2Hits.increment();
          Object value = read.value();
          ctx.replaceLocal(key, stale, generation, since, value, entry.version(), entry.remainingTtlMillis(),
              ctx.policy.sourceVersionOf(value));
          return;
        }
        ctx.counters.l2Misses.increment();
        if (entry.lease() == RemoteEntry.Lease.GRANTED) {
          try {
            V value = ctx.loads.callLoader(loader, key, false);
            FillResult fill = fillRemote(id, token, value);
            if (fill != null && fill.stored()) {
              ctx.replaceLocal(key, stale, generation, since, value, fill.version(), -1, ctx.policy.sourceVersionOf(value));
            }
          } finally {
            ctx.loadEnded(id);
          }
          return;
        }
        if (entry.lease() != RemoteEntry.Lease.HELD_BY_OTHER) {
          return; // a write is in progress: it will invalidate the stale entry
        }
        if (!ctx.config.protection().distributedSingleFlight()) {
          V value = ctx.loads.callLoader(loader, key, false);
          ctx.replaceLocal(key, stale, generation, since, value, entry.version(), -1, ctx.policy.sourceVersionOf(value));
          return;
        }
        if (attempt == 0) {
          wake.get(ctx.loadTimeoutNanos + ctx.remoteTimeoutNanos, TimeUnit.NANOSECONDS);
        }
      } catch (TimeoutException | ExecutionException e) {
        return; // the holder did not finish: keep serving stale; the next stale hit tries again
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      } finally {
        ctx.forgetWakeUp(id, wake);
      }
    }
  }

  boolean isMiss(@Nullable Object localResult) {
    return localResult == this;
  }

  /**
   * Reads through the tiers after an L1 miss; with a null loader, nothing is loaded (getIfPresent).
   *
   * @return the outcome; {@code found} is false only when there is no loader and neither tier had the key
   */
  Outcome readThrough(K key, @Nullable CacheLoader<? super K, ? extends V> loader) {
    String id = ctx.id(key);
    LocalEntry e = ctx.local.getIfPresent(key);
    for (;;) {
      Generation generation = ctx.generation();
      ValueEntry stale = null;
      if (e instanceof ValueEntry ve && ve.generation == generation && ctx.servable(ve)) {
        if (ctx.policy.staleWindowNanos == 0) {
          return new Outcome(ve.value, true);
        }
        Object local = serveLocal(key, ve, loader);
        if (!isMiss(local)) {
          return new Outcome(local, true);
        }
        stale = ve; // past serving: load, but keep it in case the load fails (stale-if-error)
      }
      if (e instanceof Reservation r && r.generation == generation) {
        Outcome joined = join(key, r);
        if (joined.found() || loader == null) {
          return joined;
        }
        e = ctx.local.getIfPresent(key); // the other read found nothing and had no loader: load ourselves
        continue;
      }
      Reservation mine = ctx.newReservation();
      boolean placed = e == null ? ctx.local.putIfAbsent(key, mine) == null : ctx.local.replace(key, e, mine);
      if (!placed) {
        e = ctx.local.getIfPresent(key);
        continue;
      }
      Outcome outcome;
      try {
        outcome = fetch(key, id, mine, loader);
      } catch (Throwable t) {
        Outcome old = failed(key, mine, stale, t);
        if (old != null) {
          return old;
        }
        throw t;
      }
      mine.result.complete(outcome);
      return outcome;
    }
  }

  /**
   * Settles a reservation whose load failed with {@code t}: the stale entry it replaced is put back and served
   * if stale-if-error allows and nothing invalidated it since; otherwise the reservation is removed and its
   * joiners get {@code t}.
   *
   * @return the stale outcome to serve, or null when the caller fails with {@code t}
   */
  @Nullable Outcome failed(K key, Reservation mine, @Nullable ValueEntry stale, Throwable t) {
    if (stale != null && ctx.mayServeOnError(stale)
        && !ctx.records.conflicts(key, stale.version, mine.reservedAtNanos)
        && ctx.local.replace(key, mine, stale)) {
      ctx.counters.staleServedOnError.increment(); // put back, so the next caller gets it too
      Outcome old = new Outcome(stale.value, true);
      mine.result.complete(old);
      LOG.log(Level.FINE, "cache '" + ctx.name + "': serving a stale value of key '" + key + "'", t);
      return old;
    }
    ctx.local.remove(key, mine);
    mine.result.completeExceptionally(t);
    return null;
  }

  /** Waits for another caller's load of the same key on this node. */
  private Outcome join(K key, Reservation r) {
    if (r.owner == Thread.currentThread() || LoadScope.isLoading(ctx, key)) {
      throw new IllegalStateException("cache '" + ctx.name + "': recursive load of key '" + key
          + "': the loader of this key called the cache for the same key");
    }
    ctx.counters.coalescedLoads.increment();
    try {
      // The holder's load ends in time (abandoned if need be) and reports its error to us; we wait a little
      // longer, so that error, not our own timeout, is what we see.
      return r.result.get(ctx.joinTimeoutNanos, TimeUnit.NANOSECONDS);
    } catch (ExecutionException e) {
      throw ctx.loads.rethrow(e.getCause() != null ? e.getCause() : e);
    } catch (TimeoutException e) {
      throw new IllegalStateException("cache '" + ctx.name + "': waited "
          + Duration.ofNanos(ctx.joinTimeoutNanos) + " for another caller's load of key '" + key + "'", e);
    } catch (CancellationException e) {
      throw new IllegalStateException("cache '" + ctx.name + "': the load this call joined was cancelled", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("cache '" + ctx.name + "': interrupted while waiting for a load", e);
    }
  }

  Outcome fetch(K key, String id, Reservation mine, @Nullable CacheLoader<? super K, ? extends V> loader) {
    if (loader != null && ctx.filteredOut(id)) {
      // It cannot exist: a negative result, kept in L1 only (L2 would only fill with probes' ids).
      ctx.fillLocal(key, mine, null, Version.NONE, -1, ValueEntry.NO_SOURCE_VERSION);
      return new Outcome(null, true);
    }
    if (ctx.remote == null) {
      return loadWithoutRemote(key, mine, loader, true);
    }
    String token = loader == null ? null : ctx.leaseToken;
    RemoteRead read;
    try {
      read = readRemote(id, token);
    } catch (TierUnavailableException e) {
      if (ctx.config.remoteFailureMode() == RemoteFailureMode.FAIL) {
        throw e;
      }
      return loadWithoutRemote(key, mine, loader, false);
    }
    RemoteEntry entry = read.entry();
    if (entry.isHit()) {
      ctx.counters.l2Hits.increment();
      Object value = read.value();
      ctx.fillLocal(key, mine, value, entry.version(), entry.remainingTtlMillis(), ctx.policy.sourceVersionOf(value));
      return new Outcome(value, true);
    }
    ctx.counters.l2Misses.increment();
    if (loader == null) {
      ctx.local.remove(key, mine);
      return Outcome.NOT_FOUND;
    }
    if (waitsForHolder(entry)) {
      return fromHolder(key, id, mine, loader, entry);
    }
    return loadAndFill(key, id, mine, loader, token, entry);
  }

  /** Whether a miss should wait for another node's load rather than load (distributed single-flight). */
  boolean waitsForHolder(RemoteEntry miss) {
    return miss.lease() == RemoteEntry.Lease.HELD_BY_OTHER && ctx.config.protection().distributedSingleFlight();
  }

  /** Waits for the lease holder's value; if it never lands, loads, serves and stores nowhere. */
  Outcome fromHolder(K key, String id, Reservation mine, CacheLoader<? super K, ? extends V> loader,
      RemoteEntry miss) {
    Outcome landed = awaitHolder(key, id, mine, loader, miss.remainingTtlMillis());
    if (landed != null) {
      return landed;
    }
    V value = ctx.loads.callLoader(loader, key, false); // the fallback: load, serve, store nowhere
    ctx.local.remove(key, mine);
    return new Outcome(value, true);
  }

  /** Loads from the source and fills L2 (with the lease) and L1 (by replacing the reservation). */
  private Outcome loadAndFill(K key, String id, Reservation mine, CacheLoader<? super K, ? extends V> loader,
      @Nullable String token, RemoteEntry entry) {
    boolean holder = entry.lease() == RemoteEntry.Lease.GRANTED;
    try {
      V value = ctx.loads.callLoader(loader, key, false);
      Version version = entry.version();
      boolean storeLocally;
      switch (entry.lease()) {
        case GRANTED -> {
          FillResult fill = fillRemote(id, token, value);
          storeLocally = fill != null && fill.stored();
          if (fill != null) {
            version = fill.version();
          }
        }
        case HELD_BY_OTHER -> storeLocally = true; // another node is filling; our L1 still guards by reservation
        default -> storeLocally = false; // an intent: a write is in progress, so what we loaded may be old
      }
      if (storeLocally) {
        ctx.fillLocal(key, mine, value, version, -1, ctx.policy.sourceVersionOf(value));
      } else {
        ctx.local.remove(key, mine);
      }
      return new Outcome(value, true);
    } finally {
      if (holder) {
        ctx.loadEnded(id); // stored, refused or failed: waiters on other nodes re-read now
      }
    }
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
  @Nullable Outcome awaitHolder(K key, String id, Reservation mine,
      CacheLoader<? super K, ? extends V> loader, long leaseLeftMillis) {
    ctx.counters.leaseWaits.increment();
    long leaseLeft = leaseLeftMillis > 0 ? TimeUnit.MILLISECONDS.toNanos(leaseLeftMillis) : ctx.loadTimeoutNanos;
    long deadline = ctx.ticker.read() + leaseLeft + ctx.remoteTimeoutNanos;
    long pollNanos = TimeUnit.MILLISECONDS.toNanos(5);
    boolean woken = false;
    String why;
    CompletableFuture<Void> wake = null;
    try {
      for (;;) {
        wake = ctx.wakeUpOf(id);
        String token = ctx.leaseToken;
        RemoteEntry entry;
        Object value;
        try {
          RemoteRead read = readRemote(id, token);
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
          ctx.fillLocal(key, mine, value, entry.version(), entry.remainingTtlMillis(), ctx.policy.sourceVersionOf(value));
          return new Outcome(value, true);
        }
        if (entry.lease() == RemoteEntry.Lease.GRANTED) {
          return loadAndFill(key, id, mine, loader, token, entry); // the holder is gone or done: our turn
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
        ctx.forgetWakeUp(id, wake); // nobody may ever wake a wait that ended otherwise
      }
    }
  }

  /** A remote entry and, for a value, its decoded form. */
  record RemoteRead(RemoteEntry entry, @Nullable Object value) {}

  /**
   * Reads one id with a lease. An entry that cannot be decoded is counted and replaced (if unchanged), then read
   * once more so the caller can take the lease and fill; if it fails again it is treated as a miss without lease.
   */
  private RemoteRead readRemote(String id, @Nullable String token) {
    long leaseMillis = ctx.config.loadTimeout().toMillis();
    for (int attempt = 0; ; attempt++) {
      RemoteEntry entry = ctx.l2.await("read", () -> ctx.l2.remote().read(id, token, leaseMillis));
      if (ctx.refusedFromL2(id, entry)) {
        return new RemoteRead(RemoteEntry.absent(RemoteEntry.Lease.NOT_REQUESTED), null); // load, store nowhere
      }
      Object decoded = ctx.l2.decodeRemote(id, entry);
      if (decoded != RemoteGateway.UNREADABLE) {
        return new RemoteRead(entry, decoded);
      }
      if (attempt == 1) {
        return new RemoteRead(RemoteEntry.absent(RemoteEntry.Lease.NOT_REQUESTED), null);
      }
    }
  }

  /**
   * Fills L2 with the lease; a value that cannot be encoded (see {@link CacheContext#encodeForFill}) or a failed
   * fill leaves L2 alone and returns null: the caller keeps its value and stores it in no tier.
   */
  private @Nullable FillResult fillRemote(String id, @Nullable String token, @Nullable V value) {
    if (token == null) {
      return null;
    }
    byte @Nullable [] payload = value == null ? null : ctx.l2.encodeForFill(id, value);
    if (value != null && payload == null) {
      return null;
    }
    try {
      long sourceVersion = ctx.policy.sourceVersionOf(value);
      FillResult result = ctx.l2.await("fill",
          () -> ctx.l2.remote().fill(id, token, payload, ctx.policy.l2TtlMillis(value), sourceVersion));
      return counted(id, result);
    } catch (TierUnavailableException e) {
      return null;
    }
  }

  /** Counts a fill's outcome: stored, or refused (the lease was revoked by a write or an invalidation). */
  FillResult counted(String id, FillResult result) {
    if (result.stored()) {
      ctx.counters.l2Puts.increment();
    } else {
      ctx.counters.rejectedFills.increment();
      ctx.safely(() -> ctx.listener.onFillRejected(ctx.name, id));
    }
    return result;
  }

  /** Loads with no remote tier, or around an unreachable one (then nothing is stored anywhere). */
  Outcome loadWithoutRemote(K key, Reservation mine, @Nullable CacheLoader<? super K, ? extends V> loader,
      boolean storeLocally) {
    if (loader == null) {
      ctx.local.remove(key, mine);
      return Outcome.NOT_FOUND;
    }
    V value = ctx.loads.callLoader(loader, key, !storeLocally);
    if (storeLocally) {
      ctx.fillLocal(key, mine, value, Version.NONE, -1,
          ctx.policy.sourceVersionOf(value));
    } else {
      ctx.local.remove(key, mine);
    }
    return new Outcome(value, true);
  }
}
