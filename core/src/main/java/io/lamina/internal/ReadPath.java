package io.lamina.internal;

import io.lamina.CacheLoader;
import io.lamina.RemoteFailureMode;
import io.lamina.TierUnavailableException;
import io.lamina.internal.Reservation.Outcome;
import io.lamina.spi.FillResult;
import io.lamina.spi.LocalEntry;
import io.lamina.spi.RemoteEntry;
import io.lamina.spi.Version;
import java.time.Duration;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
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
 * <p>A stale entry is refreshed by {@link BackgroundRefresh}; a key another node is loading is waited for by
 * {@link LeaseWait}.
 *
 * <p>Past 300 lines because it holds a single-key miss whole, from the reservation to the last fill, and those
 * steps are the ones {@link AsyncReadPath} and {@link BulkRead} reuse; in one file, the order the guards rely on
 * (reservation, lease, L2 fill, L1 fill) reads top to bottom.
 */
final class ReadPath<K, V> {

  private static final Logger LOG = Logger.getLogger(ReadPath.class.getName());

  private final CacheContext<K, V> ctx;
  private final BackgroundRefresh<K, V> refresher;
  private final LeaseWait<K, V> leaseWait;

  /** What {@link #readLocal} returns for a miss (a value may be null: a negative result). */
  private static final Object MISS = new Object();

  ReadPath(CacheContext<K, V> ctx) {
    this.ctx = ctx;
    this.refresher = new BackgroundRefresh<>(ctx, this);
    this.leaseWait = new LeaseWait<>(ctx, this);
  }

  /**
   * The hit path: no allocation, no lock, no decoding (with stale serving on, one ticker read; with hot-key
   * tracking on, the one read in eight the sketch records builds its key's id). Returns
   * {@link #MISS} on a miss (see {@link #isMiss}). With {@code loader} a stale entry within the
   * stale-while-revalidate window is served while one refresh runs, and a fresh one nearing expiry may be
   * refreshed early (XFetch).
   */
  @Nullable Object readLocal(K key, @Nullable CacheLoader<? super K, ? extends V> loader) {
    HotKeySketch sketch = ctx.hotKeys;
    if (sketch != null) {
      long draw = sketch.draw();
      if (sketch.sampled(draw)) { // the id (a new String) only for the reads recorded
        sketch.record(ctx.keyCodec.toId(key), draw);
      }
    }
    return serveLocal(key, ctx.local.getIfPresent(key), loader);
  }

  /** {@link #readLocal} for an entry already looked up (and a read already recorded). */
  @Nullable Object serveLocal(K key, @Nullable LocalEntry e,
      @Nullable CacheLoader<? super K, ? extends V> loader) {
    if (e instanceof ValueEntry ve && ve.generation == ctx.fills.generation() && ctx.servable(ve)) {
      if (ctx.policy.staleWindowNanos == 0) {
        ctx.counters.l1Hits.increment();
        return ve.value;
      }
      long now = ctx.ticker.read();
      if (!ctx.policy.isStale(ve, now)) {
        ctx.counters.l1Hits.increment();
        if (loader != null && ctx.policy.earlyRefreshBeta > 0 && refresher.refreshEarly(ve, now)) {
          refresher.start(key, ve, loader);
        }
        return ve.value;
      }
      if (ctx.mayServeStale(ve, now)) {
        ctx.counters.l1Hits.increment();
        ctx.counters.staleServed.increment();
        if (loader != null) {
          refresher.start(key, ve, loader);
        }
        return ve.value;
      }
    }
    return MISS;
  }

  /** {@link LeaseWait#await}, for the bulk read's keys that another node is loading. */
  @Nullable Outcome awaitHolder(K key, String id, Reservation mine, CacheLoader<? super K, ? extends V> loader,
      long leaseLeftMillis) {
    return leaseWait.await(key, id, mine, loader, leaseLeftMillis);
  }

  boolean isMiss(@Nullable Object localResult) {
    return localResult == MISS;
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
      Generation generation = ctx.fills.generation();
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
      Reservation mine = ctx.fills.newReservation();
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
    if (stale != null && ctx.mayServeOnError(stale) && ctx.fills.putBack(key, mine, stale)) {
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
      return r.result.get(ctx.timeouts.join(), TimeUnit.NANOSECONDS);
    } catch (ExecutionException e) {
      throw ctx.loads.rethrow(e.getCause() != null ? e.getCause() : e);
    } catch (TimeoutException e) {
      throw new IllegalStateException("cache '" + ctx.name + "': waited "
          + Duration.ofNanos(ctx.timeouts.join()) + " for another caller's load of key '" + key + "'", e);
    } catch (CancellationException e) {
      throw new IllegalStateException("cache '" + ctx.name + "': the load this call joined was cancelled", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("cache '" + ctx.name + "': interrupted while waiting for a load", e);
    }
  }

  Outcome fetch(K key, String id, Reservation mine, @Nullable CacheLoader<? super K, ? extends V> loader) {
    if (loader != null && ctx.keyFilter.filteredOut(id)) {
      // It cannot exist: a negative result, kept in L1 only (L2 would only fill with probes' ids).
      ctx.fills.fill(key, mine, null, Version.NONE, -1, ValueEntry.NO_SOURCE_VERSION);
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
      ctx.fills.fill(key, mine, value, entry.version(), entry.remainingTtlMillis(), ctx.policy.sourceVersionOf(value));
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
    Outcome landed = leaseWait.await(key, id, mine, loader, miss.remainingTtlMillis());
    if (landed != null) {
      return landed;
    }
    V value = ctx.loads.callLoader(loader, key, false); // the fallback: load, serve, store nowhere
    ctx.local.remove(key, mine);
    return new Outcome(value, true);
  }

  /** Loads from the source and fills L2 (with the lease) and L1 (by replacing the reservation). */
  Outcome loadAndFill(K key, String id, Reservation mine, CacheLoader<? super K, ? extends V> loader,
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
        ctx.fills.fill(key, mine, value, version, -1, ctx.policy.sourceVersionOf(value));
      } else {
        ctx.local.remove(key, mine);
      }
      return new Outcome(value, true);
    } finally {
      if (holder) {
        ctx.wakeUps.loadEnded(id); // stored, refused or failed: waiters on other nodes re-read now
      }
    }
  }

  /** A remote entry and, for a value, its decoded form. */
  record RemoteRead(RemoteEntry entry, @Nullable Object value) {}

  /**
   * Reads one id with a lease. An entry that cannot be decoded is counted and replaced (if unchanged), then read
   * once more so the caller can take the lease and fill; if it fails again it is treated as a miss without lease.
   */
  RemoteRead readRemote(String id, @Nullable String token) {
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
   * Fills L2 with the lease; a value that cannot be encoded (see {@link RemoteGateway#encodeForFill}) or a failed
   * fill leaves L2 alone and returns null: the caller keeps its value and stores it in no tier.
   */
  @Nullable FillResult fillRemote(String id, @Nullable String token, @Nullable V value) {
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
      ctx.fills.fill(key, mine, value, Version.NONE, -1,
          ctx.policy.sourceVersionOf(value));
    } else {
      ctx.local.remove(key, mine);
    }
    return new Outcome(value, true);
  }
}
