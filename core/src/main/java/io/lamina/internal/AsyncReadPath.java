package io.lamina.internal;

import io.lamina.AsyncCacheLoader;
import io.lamina.CacheLoader;
import io.lamina.CacheLoaderException;
import io.lamina.RemoteFailureMode;
import io.lamina.TierUnavailableException;
import io.lamina.internal.Reservation.Outcome;
import io.lamina.spi.FillResult;
import io.lamina.spi.LocalEntry;
import io.lamina.spi.RemoteEntry;
import io.lamina.spi.Version;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * {@code getAsync} and {@code getIfPresentAsync} that park no thread on the common path: an L1 hit completes at
 * once, a read that finds another caller's load completes with it, an L2 hit completes on the remote client's
 * I/O completion (decoding and the L1 fill run there; neither blocks), and a miss that takes the key's lease
 * loads through an {@link AsyncCacheLoader} and fills L2 then L1 as each future completes.
 *
 * <p>The guards are {@link ReadPath}'s, step for step: the reservation is placed before L2 is read, L2 is filled
 * only with the lease, L1 only by replacing the reservation, and a failed load puts back a stale entry under the
 * same stale-if-error rule. What has to wait continues on the cache's executor through {@link ReadPath}: another
 * node's lease under distributed single-flight, an entry that cannot be decoded (its repair is a remote call)
 * and a read with a key filter or without a remote tier. A {@link CacheLoader} (which blocks) always runs on the
 * executor.
 *
 * <p>Past 300 lines because it is the miss of {@link ReadPath} written again as futures, each step (join, fetch,
 * fill, load) its own method with the guard the blocking step has, and the call of an {@link AsyncCacheLoader}
 * that bounds, counts and times out a load without parking a thread.
 */
final class AsyncReadPath<K, V> {

  private final CacheContext<K, V> ctx;
  private final ReadPath<K, V> single;

  AsyncReadPath(CacheContext<K, V> ctx, ReadPath<K, V> single) {
    this.ctx = ctx;
    this.single = single;
  }

  /**
   * A loader as the asynchronous path sees it: the blocking form (used on the executor: background refresh and
   * the paths that wait) and, for an {@link AsyncCacheLoader}, the form that does not block.
   */
  record Loader<K, V>(CacheLoader<? super K, ? extends V> blocking,
      @Nullable AsyncCacheLoader<? super K, ? extends V> async) {

    static <K, V> Loader<K, V> blocking(CacheLoader<? super K, ? extends V> loader) {
      return new Loader<>(loader, null);
    }

    /** An async loader; its blocking form waits for its future (on the executor, under the load timeout). */
    static <K, V> Loader<K, V> async(AsyncCacheLoader<? super K, ? extends V> loader, CacheContext<K, V> ctx) {
      return new Loader<>(waitingFor(loader, ctx.executor), loader);
    }

    /**
     * {@code loader} as a blocking loader, for the paths that wait: it waits for the future and fails with what
     * the future failed with (not an {@link ExecutionException} around it); an interrupt, which is how a load
     * past the load timeout is abandoned, cancels the future.
     */
    static <K, V> CacheLoader<K, V> waitingFor(AsyncCacheLoader<? super K, ? extends V> loader,
        Executor executor) {
      return key -> {
        CompletableFuture<? extends @Nullable V> future = Objects.requireNonNull(
            loader.asyncLoad(key, executor), "the async loader returned no future");
        try {
          return future.get();
        } catch (InterruptedException e) {
          future.cancel(true);
          throw e;
        } catch (ExecutionException e) {
          Throwable cause = e.getCause();
          if (cause instanceof Exception failure) {
            throw failure;
          }
          if (cause instanceof Error error) {
            throw error;
          }
          throw e;
        }
      };
    }
  }

  /**
   * Reads {@code key} after an L1 miss; with a null loader nothing is loaded (getIfPresentAsync). Never blocks:
   * a step that must wait is handed to the executor.
   */
  CompletableFuture<Outcome> readThrough(K key, @Nullable Loader<K, V> loader) {
    String id;
    try {
      id = ctx.id(key);
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
    LocalEntry e = ctx.local.getIfPresent(key);
    for (;;) {
      Generation generation = ctx.fills.generation();
      ValueEntry stale = null;
      if (e instanceof ValueEntry ve && ve.generation == generation && ctx.servable(ve)) {
        if (ctx.policy.staleWindowNanos == 0) {
          return CompletableFuture.completedFuture(new Outcome(ve.value, true));
        }
        Object local = single.serveLocal(key, ve, loader == null ? null : loader.blocking());
        if (!single.isMiss(local)) {
          return CompletableFuture.completedFuture(new Outcome(local, true));
        }
        stale = ve; // past serving: load, but keep it in case the load fails (stale-if-error)
      }
      if (e instanceof Reservation r && r.generation == generation) {
        return join(key, r).thenCompose(joined -> joined.found() || loader == null
            ? CompletableFuture.completedFuture(joined)
            : readThrough(key, loader)); // the other read found nothing and had no loader: load ourselves
      }
      Reservation mine = ctx.fills.newAsyncReservation();
      boolean placed = e == null ? ctx.local.putIfAbsent(key, mine) == null : ctx.local.replace(key, e, mine);
      if (!placed) {
        e = ctx.local.getIfPresent(key);
        continue;
      }
      ValueEntry replaced = stale;
      CompletableFuture<Outcome> fetched;
      try {
        fetched = fetch(key, id, mine, loader);
      } catch (Throwable t) {
        fetched = CompletableFuture.failedFuture(t);
      }
      return fetched.handle((outcome, error) -> {
        if (error == null) {
          mine.result.complete(outcome);
          return CompletableFuture.completedFuture(outcome);
        }
        Throwable t = cause(error);
        Outcome old = single.failed(key, mine, replaced, t);
        return old != null ? CompletableFuture.completedFuture(old) : CompletableFuture.<Outcome>failedFuture(t);
      }).thenCompose(Function.identity());
    }
  }

  /** Another caller's load of the same key on this node: its outcome, bounded like a synchronous join. */
  private CompletableFuture<Outcome> join(K key, Reservation r) {
    if (r.owner == Thread.currentThread() || LoadScope.isLoading(ctx, key)) {
      return CompletableFuture.failedFuture(new IllegalStateException("cache '" + ctx.name + "': recursive load of"
          + " key '" + key + "': the loader of this key called the cache for the same key"));
    }
    ctx.counters.coalescedLoads.increment();
    return r.result.copy().orTimeout(ctx.timeouts.join(), TimeUnit.NANOSECONDS).handle((outcome, error) -> {
      if (error == null) {
        return CompletableFuture.completedFuture(outcome);
      }
      Throwable t = cause(error);
      if (t instanceof TimeoutException) {
        t = new IllegalStateException("cache '" + ctx.name + "': waited " + Duration.ofNanos(ctx.timeouts.join())
            + " for another caller's load of key '" + key + "'", t);
      } else if (t instanceof CancellationException) {
        t = new IllegalStateException("cache '" + ctx.name + "': the load this call joined was cancelled", t);
      }
      return CompletableFuture.<Outcome>failedFuture(t);
    }).thenCompose(Function.identity());
  }

  private CompletableFuture<Outcome> fetch(K key, String id, Reservation mine, @Nullable Loader<K, V> loader) {
    CacheLoader<? super K, ? extends V> blocking = loader == null ? null : loader.blocking();
    if (ctx.remote == null || loader != null && ctx.keyFilter.present()) {
      return onExecutor(() -> single.fetch(key, id, mine, blocking)); // a key filter may ask L2: it can wait
    }
    String token = loader == null ? null : ctx.leaseToken;
    long leaseMillis = ctx.config.loadTimeout().toMillis();
    return ctx.l2.call("read", () -> ctx.l2.remote().read(id, token, leaseMillis)).handle((read, error) -> {
      if (error != null) {
        Throwable t = cause(error);
        if (!(t instanceof TierUnavailableException) || ctx.config.remoteFailureMode() == RemoteFailureMode.FAIL) {
          return CompletableFuture.<Outcome>failedFuture(t);
        }
        return withoutRemote(key, mine, loader);
      }
      RemoteEntry entry = read;
      Object value = null;
      if (ctx.refusedFromL2(id, entry)) {
        entry = RemoteEntry.absent(RemoteEntry.Lease.NOT_REQUESTED); // load, store nowhere
      } else {
        value = ctx.l2.decodeQuietly(entry);
        if (value == RemoteGateway.UNREADABLE) {
          return onExecutor(() -> single.fetch(key, id, mine, blocking)); // counted and repaired there
        }
      }
      if (entry.isHit()) {
        ctx.counters.l2Hits.increment();
        ctx.fills.fill(key, mine, value, entry.version(), entry.remainingTtlMillis(),
            ctx.policy.sourceVersionOf(value));
        return CompletableFuture.completedFuture(new Outcome(value, true));
      }
      ctx.counters.l2Misses.increment();
      if (loader == null) {
        ctx.local.remove(key, mine);
        return CompletableFuture.completedFuture(Outcome.NOT_FOUND);
      }
      RemoteEntry miss = entry;
      if (single.waitsForHolder(miss)) {
        return onExecutor(() -> single.fromHolder(key, id, mine, loader.blocking(), miss));
      }
      return loadAndFill(key, id, mine, loader, token, miss);
    }).thenCompose(Function.identity());
  }

  /** L2 is unreachable (and the cache falls back): load and serve, store in no tier. */
  private CompletableFuture<Outcome> withoutRemote(K key, Reservation mine, @Nullable Loader<K, V> loader) {
    if (loader == null || loader.async() == null) {
      return onExecutor(() -> single.loadWithoutRemote(key, mine, loader == null ? null : loader.blocking(), false));
    }
    return load(key, loader, true).thenApply(value -> {
      ctx.local.remove(key, mine);
      return new Outcome(value, true);
    });
  }

  /** {@link ReadPath}'s loadAndFill, a step per completion: load, fill L2 with the lease, then L1. */
  private CompletableFuture<Outcome> loadAndFill(K key, String id, Reservation mine, Loader<K, V> loader,
      @Nullable String token, RemoteEntry miss) {
    CompletableFuture<Outcome> done = load(key, loader, false).thenCompose(value -> {
      switch (miss.lease()) {
        case GRANTED -> {
          return fill(id, token, value).thenApply(fill -> {
            if (fill != null && fill.stored()) {
              ctx.fills.fill(key, mine, value, fill.version(), -1, ctx.policy.sourceVersionOf(value));
            } else {
              ctx.local.remove(key, mine);
            }
            return new Outcome(value, true);
          });
        }
        case HELD_BY_OTHER -> // another node is filling; our L1 still guards by reservation
            ctx.fills.fill(key, mine, value, miss.version(), -1, ctx.policy.sourceVersionOf(value));
        default -> ctx.local.remove(key, mine); // an intent: a write is in progress, so what we loaded may be old
      }
      return CompletableFuture.completedFuture(new Outcome(value, true));
    });
    if (miss.lease() != RemoteEntry.Lease.GRANTED) {
      return done;
    }
    return done.whenComplete((outcome, error) -> ctx.wakeUps.loadEnded(id)); // waiters on other nodes re-read now
  }

  /** Fills L2 with the lease; null when it could not (encoding or L2 failed): the value is stored nowhere. */
  private CompletableFuture<@Nullable FillResult> fill(String id, @Nullable String token, @Nullable V value) {
    if (token == null) {
      return CompletableFuture.completedFuture(null);
    }
    byte @Nullable [] payload = value == null ? null : ctx.l2.encodeForFill(id, value);
    if (value != null && payload == null) {
      return CompletableFuture.completedFuture(null);
    }
    long sourceVersion = ctx.policy.sourceVersionOf(value);
    long ttlMillis = ctx.policy.l2TtlMillis(value);
    return ctx.l2.call("fill", () -> ctx.l2.remote().fill(id, token, payload, ttlMillis, sourceVersion))
        .handle((result, error) -> error == null ? single.counted(id, result) : null);
  }

  /** Runs the loader: an async one directly, a blocking one on the executor. */
  private CompletableFuture<@Nullable V> load(K key, Loader<K, V> loader, boolean remoteDown) {
    AsyncCacheLoader<? super K, ? extends V> async = loader.async();
    if (async != null) {
      return callLoader(async, key, remoteDown);
    }
    Supplier<@Nullable V> blocking = () -> ctx.loads.callLoader(loader.blocking(), key, remoteDown);
    return onExecutor(blocking);
  }

  /**
   * {@link LoaderRunner#callLoader} for an {@link AsyncCacheLoader}: the same guards, counters and load timeout,
   * no thread parked. A future that misses the load timeout is cancelled and fails with a {@link CacheLoaderException};
   * checked exceptions are wrapped in one.
   */
  private CompletableFuture<@Nullable V> callLoader(AsyncCacheLoader<? super K, ? extends V> loader, K key,
      boolean remoteDown) {
    Guard.Permit permit;
    try {
      ctx.guard.acquireMiss(ctx.id(key));
      permit = ctx.guard.acquireLoad("key '" + key + "'", remoteDown);
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
    long start = ctx.ticker.read();
    CompletableFuture<? extends @Nullable V> loading;
    try {
      loading = Objects.requireNonNull(loader.asyncLoad(key, ctx.executor),
          () -> "cache '" + ctx.name + "': the async loader returned no future for key '" + key + "'");
    } catch (Throwable t) {
      loading = CompletableFuture.failedFuture(t);
    }
    CompletableFuture<? extends @Nullable V> started = loading;
    CompletableFuture<@Nullable V> bounded = new CompletableFuture<>();
    started.whenComplete((value, error) -> {
      if (error == null) {
        bounded.complete(value);
      } else {
        bounded.completeExceptionally(error);
      }
    });
    CompletableFuture<@Nullable V> result = new CompletableFuture<>();
    bounded.orTimeout(ctx.timeouts.load(), TimeUnit.NANOSECONDS).whenComplete((value, error) -> {
      Throwable failure = error == null ? null : cause(error);
      if (failure == null) {
        try {
          ctx.policy.ownTtlMillis(value); // a bad ttlOf result fails the load, before anything is stored
        } catch (RuntimeException e) {
          failure = e;
        }
      }
      if (failure == null) {
        ctx.guard.loadFinished(permit, start, ctx.ticker.read(), null);
        ctx.loads.loadSucceeded(start, value == null ? 1 : 0);
        result.complete(value);
        return;
      }
      if (failure instanceof TimeoutException) {
        started.cancel(true);
        ctx.counters.loadTimeouts.increment();
        failure = new CacheLoaderException("cache '" + ctx.name + "': the async load of key '" + key + "' did not"
            + " finish within loadTimeout (" + ctx.config.loadTimeout() + "); it was cancelled and its result will not"
            + " be stored", failure);
      } else if (!(failure instanceof RuntimeException) && !(failure instanceof Error)) {
        failure = new CacheLoaderException("cache '" + ctx.name + "': loader failed: " + failure, failure);
      }
      ctx.guard.loadFinished(permit, start, ctx.ticker.read(), failure);
      ctx.loads.loadFailed(start, failure);
      result.completeExceptionally(failure);
    });
    return result;
  }


  /** Runs {@code step} on the cache's executor (a step that may wait). */
  private <T extends @Nullable Object> CompletableFuture<T> onExecutor(Supplier<T> step) {
    try {
      return CompletableFuture.supplyAsync(step, ctx.executor);
    } catch (RejectedExecutionException e) {
      return CompletableFuture.failedFuture(
          new CacheLoaderException("cache '" + ctx.name + "': the executor refused an asynchronous read", e));
    }
  }

  static Throwable cause(Throwable error) {
    return error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
  }
}
