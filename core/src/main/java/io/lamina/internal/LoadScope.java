package io.lamina.internal;

import java.util.Collection;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import org.jspecify.annotations.Nullable;

/**
 * The loads a thread is running, innermost first, carried across the hop to the loader thread: a loader that
 * calls back into its cache for a key it is (directly or through other loads) already loading fails at once
 * instead of waiting for itself. Also lets a timed-out load interrupt its loader without touching the thread's
 * next task.
 */
final class LoadScope {

  private static final ThreadLocal<@Nullable LoadScope> CURRENT = new ThreadLocal<>();

  private final Object cache;
  private final Collection<?> keys;
  private final @Nullable LoadScope parent;
  private @Nullable Thread runner; // guarded by this
  private boolean finished; // guarded by this
  private @Nullable Runnable whenAbandonedEnds; // guarded by this

  LoadScope(Object cache, Collection<?> keys) {
    this.cache = cache;
    this.keys = keys;
    this.parent = CURRENT.get();
  }

  /** Whether the calling thread is running a load of {@code key} in {@code cache}, at any depth. */
  static boolean isLoading(Object cache, Object key) {
    for (LoadScope s = CURRENT.get(); s != null; s = s.parent) {
      if (s.cache == cache && s.keys.contains(key)) {
        return true;
      }
    }
    return false;
  }

  /** Runs {@code task} within this scope on the calling thread, completing {@code result}. */
  <T> void run(Callable<T> task, CompletableFuture<T> result) {
    LoadScope outer = CURRENT.get();
    synchronized (this) {
      if (finished) {
        return; // timed out before it started
      }
      runner = Thread.currentThread();
    }
    CURRENT.set(this);
    try {
      result.complete(task.call());
    } catch (Throwable t) {
      result.completeExceptionally(t);
    } finally {
      CURRENT.set(outer);
      Runnable ended;
      synchronized (this) {
        finished = true;
        runner = null;
        Thread.interrupted(); // an interrupt meant for this load must not reach the thread's next task
        ended = whenAbandonedEnds;
      }
      if (ended != null) {
        ended.run();
      }
    }
  }

  /**
   * Abandons the load: it will not start if it has not, and its thread is interrupted if it is running.
   *
   * @param whenEnds run when a load that was running ends (never, if it was not running)
   * @return whether it was running (then {@code whenEnds} will run)
   */
  synchronized boolean abandon(Runnable whenEnds) {
    Thread t = runner;
    finished = true;
    if (t == null) {
      return false;
    }
    whenAbandonedEnds = whenEnds;
    t.interrupt();
    return true;
  }
}
