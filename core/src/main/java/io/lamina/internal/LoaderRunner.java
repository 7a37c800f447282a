package io.lamina.internal;

import io.lamina.CacheLoader;
import io.lamina.CacheLoaderException;
import io.lamina.Ticker;
import io.lamina.TieredCacheConfig;
import io.lamina.TieredCacheListener;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * One cache's loads: each under the load time limit on the executor (or the caller's thread), the loader's
 * breaker and, while L2 is down, its bulkhead; abandoned past the limit, with a cap on abandoned loads still
 * running; timed and counted, with checked exceptions wrapped in {@link CacheLoaderException}.
 */
final class LoaderRunner<K, V> {

  /** Who the loads belong to in {@link LoadScope}: the cache's shared state, so recursion is found per cache. */
  private final Object cache;
  private final String name;
  private final TieredCacheConfig config;
  private final Ticker ticker;
  private final Executor executor;
  private final Guard guard;
  private final Counters counters;
  private final TieredCacheListener listener;
  private final EntryPolicy<V> policy;
  private final Function<? super K, String> ids;
  private final long loadTimeoutNanos;

  LoaderRunner(Object cache, String name, TieredCacheConfig config, Ticker ticker, Executor executor, Guard guard,
      Counters counters, TieredCacheListener listener, EntryPolicy<V> policy, Function<? super K, String> ids,
      Timeouts timeouts) {
    this.cache = cache;
    this.name = name;
    this.config = config;
    this.ticker = ticker;
    this.executor = executor;
    this.guard = guard;
    this.counters = counters;
    this.listener = listener;
    this.policy = policy;
    this.ids = ids;
    this.loadTimeoutNanos = timeouts.load();
  }

  /**
   * Runs a loader under the load time limit and the loader's breaker (and, when {@code remoteDown}, its
   * bulkhead), timing it and counting the outcome; checked exceptions are wrapped.
   */
  @Nullable V callLoader(CacheLoader<? super K, ? extends V> loader, K key, boolean remoteDown) {
    guard.acquireMiss(ids.apply(key));
    Guard.Permit permit = guard.acquireLoad("key '" + key + "'", remoteDown);
    long start = ticker.read();
    try {
      V value = limited("key '" + key + "'", List.of(key), () -> loader.load(key));
      policy.ownTtlMillis(value); // a bad ttlOf result fails the load, before anything is stored
      guard.loadFinished(permit, start, ticker.read(), null);
      loadSucceeded(start, value == null ? 1 : 0);
      return value;
    } catch (Throwable t) {
      guard.loadFinished(permit, start, ticker.read(), t);
      loadFailed(start, t);
      throw rethrow(t);
    }
  }

  /**
   * Runs a load of {@code keys} on the executor and waits at most the load timeout for it (unless loads run on
   * the caller's thread). A load that does not finish in time is abandoned — interrupted, its result never
   * stored — and the caller gets a {@link CacheLoaderException}. The scope travels with the load, so a loader
   * that asks its cache for a key it is loading fails at once.
   */
  <T> T limited(Object what, Collection<?> keys, Callable<T> task) throws Throwable {
    LoadScope scope = new LoadScope(cache, keys);
    CompletableFuture<T> result = new CompletableFuture<>();
    if (config.protection().loadOnCallerThread()) {
      scope.run(task, result);
      return unwrap(result);
    }
    int abandoned = counters.abandonedLoadsRunning.get();
    if (abandoned >= config.protection().maxAbandonedLoads() && abandoned > 0) {
      counters.loadsRejected.increment();
      throw new CacheLoaderException("cache '" + name + "': the load of " + what + " was refused: " + abandoned
          + " loads abandoned past loadTimeout are still running (their loader ignores interrupts), the limit of"
          + " protection.maxAbandonedLoads");
    }
    try {
      executor.execute(() -> scope.run(task, result));
    } catch (RejectedExecutionException e) {
      throw new CacheLoaderException("cache '" + name + "': the executor refused the load of " + what, e);
    }
    try {
      return result.get(loadTimeoutNanos, TimeUnit.NANOSECONDS);
    } catch (ExecutionException e) {
      throw e.getCause() != null ? e.getCause() : e;
    } catch (TimeoutException e) {
      abandon(scope);
      counters.loadTimeouts.increment();
      throw new CacheLoaderException("cache '" + name + "': the load of " + what + " did not finish within"
          + " loadTimeout (" + config.loadTimeout() + "); it was interrupted and its result will not be stored", e);
    } catch (InterruptedException e) {
      abandon(scope);
      Thread.currentThread().interrupt();
      throw e;
    }
  }

  private void abandon(LoadScope scope) {
    // counted before the loader can end, so the count never goes below zero
    counters.abandonedLoadsRunning.incrementAndGet();
    if (!scope.abandon(counters.abandonedLoadsRunning::decrementAndGet)) {
      counters.abandonedLoadsRunning.decrementAndGet();
    }
  }

  private static <T> T unwrap(CompletableFuture<T> done) throws Throwable {
    try {
      return done.get();
    } catch (ExecutionException e) {
      throw e.getCause() != null ? e.getCause() : e;
    }
  }

  void loadSucceeded(long startNanos, int negatives) {
    long took = ticker.read() - startNanos;
    counters.loads.increment();
    counters.loadTimeNanos.add(took);
    if (negatives > 0) {
      counters.negativeLoads.add(negatives);
    }
    ListenerCalls.safely(name, () -> listener.onLoadSuccess(name, took));
  }

  void loadFailed(long startNanos, Throwable t) {
    long took = ticker.read() - startNanos;
    counters.loadFailures.increment();
    counters.loadTimeNanos.add(took);
    ListenerCalls.safely(name, () -> listener.onLoadFailure(name, took, t));
  }

  RuntimeException rethrow(Throwable t) {
    if (t instanceof RuntimeException re) {
      throw re;
    }
    if (t instanceof Error e) {
      throw e;
    }
    if (t instanceof InterruptedException) {
      Thread.currentThread().interrupt();
    }
    throw new CacheLoaderException("cache '" + name + "': loader failed: " + t, t);
  }
}
