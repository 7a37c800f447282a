package io.lamina.internal;

import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/** The executor caches use when none is given: daemon threads, created on demand, gone after a minute idle. */
public final class DefaultExecutor {

  public static final Executor INSTANCE = create();

  /** One daemon thread for the caches' periodic chores; the chores themselves run on {@link #INSTANCE}. */
  static final java.util.concurrent.ScheduledExecutorService SCHEDULER =
      java.util.concurrent.Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "lamina-scheduler");
        t.setDaemon(true);
        return t;
      });

  private DefaultExecutor() {}

  /** Runs {@code chore} on the scheduler thread now and then every {@code period}; chores must not block. */
  public static java.util.concurrent.ScheduledFuture<?> schedule(Runnable chore, java.time.Duration period) {
    return SCHEDULER.scheduleWithFixedDelay(chore, 0, period.toNanos(), TimeUnit.NANOSECONDS);
  }

  private static ExecutorService create() {
    AtomicInteger count = new AtomicInteger();
    return new ThreadPoolExecutor(0, Integer.MAX_VALUE, 60, TimeUnit.SECONDS, new SynchronousQueue<>(), r -> {
      Thread t = new Thread(r, "lamina-async-" + count.incrementAndGet());
      t.setDaemon(true);
      return t;
    });
  }
}
