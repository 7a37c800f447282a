package io.lamina.internal;

import io.lamina.Ticker;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.jspecify.annotations.Nullable;

/**
 * The timeout of one cache's asynchronous L2 calls, without a timer task per call. A timer per call
 * ({@code CompletableFuture.orTimeout}) wakes the JDK's delay thread on every call made while none is in flight,
 * which is every call of a caller that waits for its answer: measured at about a tenth of an L2 hit on two cores.
 * Here a call joins a queue and one sweep every eighth of the timeout, scheduled only while calls are in flight,
 * gives up the calls past their deadline: a call is given up between the timeout and an eighth more.
 *
 * <p>Every call of a cache has the same timeout, so the queue is in deadline order and a sweep stops at the first
 * call still waiting and not yet due. Calls that ended are left for the sweep to drop; until it does they hold
 * nothing (their expiry action is released when they end). No library fits: the JDK's schedulers are the timer
 * per call, and a hashed wheel timer (Netty's) would bring Netty into the core and tick while idle.
 */
final class CallDeadlines {

  /** One call's deadline; exactly one of {@link #end()} and its expiry wins. */
  static final class Deadline {
    private final long dueNanos;
    private final AtomicReference<@Nullable Runnable> onExpiry;

    private Deadline(long dueNanos, Runnable onExpiry) {
      this.dueNanos = dueNanos;
      this.onExpiry = new AtomicReference<>(onExpiry);
    }

    /** The call answered: true if before its expiry ran (then the expiry never will). */
    boolean end() {
      return onExpiry.getAndSet(null) != null;
    }

    private boolean ended() {
      return onExpiry.get() == null;
    }

    private void expire() {
      Runnable action = onExpiry.getAndSet(null);
      if (action != null) {
        action.run();
      }
    }
  }

  private final long timeoutNanos;
  private final Ticker ticker;
  private final Executor afterSweepPeriod;
  private final Queue<Deadline> queue = new ConcurrentLinkedQueue<>();
  private final AtomicBoolean sweepScheduled = new AtomicBoolean();

  /**
   * Deadlines {@code timeoutNanos} after each call starts on {@code ticker}; sweeps run on the JDK's delay
   * thread, as an {@code orTimeout} would fire there.
   */
  CallDeadlines(long timeoutNanos, Ticker ticker) {
    this.timeoutNanos = timeoutNanos;
    this.ticker = ticker;
    long sweepNanos = Math.max(TimeUnit.MILLISECONDS.toNanos(1), timeoutNanos / 8);
    this.afterSweepPeriod = CompletableFuture.delayedExecutor(sweepNanos, TimeUnit.NANOSECONDS, Runnable::run);
  }

  /** Starts a call's deadline: {@code onExpiry} runs once it passed, unless {@link Deadline#end()} came first. */
  Deadline start(Runnable onExpiry) {
    Deadline d = new Deadline(ticker.read() + timeoutNanos, onExpiry);
    queue.add(d);
    if (sweepScheduled.compareAndSet(false, true)) {
      afterSweepPeriod.execute(this::sweep);
    }
    return d;
  }

  /** Gives up the calls past their deadline and drops those that ended; again later while any are in flight. */
  synchronized void sweep() {
    long now = ticker.read();
    for (Deadline d = queue.peek(); d != null; d = queue.peek()) {
      if (!d.ended() && d.dueNanos - now > 0) {
        break; // in flight and not due, and neither is any call that started after it
      }
      queue.poll();
      d.expire();
    }
    sweepScheduled.set(false);
    // A call that started after the loop looked found the sweep still scheduled: schedule for it.
    if (!queue.isEmpty() && sweepScheduled.compareAndSet(false, true)) {
      afterSweepPeriod.execute(this::sweep);
    }
  }

  /** Calls in the queue, ended or not (for tests). */
  int queued() {
    return queue.size();
  }

  /** Whether a sweep is scheduled (for tests: none once every call has ended and been dropped). */
  boolean sweepScheduled() {
    return sweepScheduled.get();
  }
}
