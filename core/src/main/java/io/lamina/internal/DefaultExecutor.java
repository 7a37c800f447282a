package io.lamina.internal;

import java.time.Duration;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The executor caches use when none is given: daemon threads, created on demand, gone after a minute idle, at most
 * {@value #MAX_THREADS} at once (a task beyond that is refused, and a load refused so fails with a clear error
 * rather than exhausting the process's threads). Loads abandoned past their timeout are bounded per cache by
 * {@link io.lamina.ProtectionConfig#maxAbandonedLoads()}.
 */
public final class DefaultExecutor {

  /** The most threads the default executor runs at once. */
  public static final int MAX_THREADS = 1024;

  public static final Executor INSTANCE = create();

  /** One daemon thread for the caches' periodic chores; the chores themselves run on {@link #INSTANCE}. */
  static final ScheduledExecutorService SCHEDULER =
      Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "lamina-scheduler");
        t.setDaemon(true);
        return t;
      });

  private DefaultExecutor() {}

  /** Runs {@code chore} on the scheduler thread now and then every {@code period}; chores must not block. */
  public static ScheduledFuture<?> schedule(Runnable chore, Duration period) {
    return SCHEDULER.scheduleWithFixedDelay(chore, 0, period.toNanos(), TimeUnit.NANOSECONDS);
  }

  private static ExecutorService create() {
    AtomicInteger count = new AtomicInteger();
    return new ThreadPoolExecutor(0, MAX_THREADS, 60, TimeUnit.SECONDS, new SynchronousQueue<>(), r -> {
      Thread t = new Thread(r, "lamina-async-" + count.incrementAndGet());
      t.setDaemon(true);
      return t;
    });
  }
}
