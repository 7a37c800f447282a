package io.lamina.spi;

/**
 * Marks the work a cache does on a remote client's I/O thread: what follows an asynchronous L2 call (the L1 fill
 * of a {@code getAsync}, the L1 store after a {@code putAsync}, a reservation removed after a failure) runs where
 * the call completed, usually the client's event loop, which serves every other call of that client meanwhile.
 *
 * <p>A local tier that may run upkeep of unbounded length on a storing thread (eviction, an expiry burst) hands it
 * off instead while {@link #inProgress()} is true. The facade marks the completion; a tier only reads the mark.
 */
public final class IoCompletion {

  /** How deep the current thread is in marked completions; one array per thread, never reallocated. */
  private static final ThreadLocal<int[]> DEPTH = ThreadLocal.withInitial(() -> new int[1]);

  private IoCompletion() {}

  /** Whether the current thread is running the completion of a remote call now. */
  public static boolean inProgress() {
    return DEPTH.get()[0] > 0;
  }

  /** Runs {@code completion} (completing a future, and so what depends on it) marked as a remote call's. */
  public static void run(Runnable completion) {
    int[] depth = DEPTH.get();
    depth[0]++;
    try {
      completion.run();
    } finally {
      depth[0]--;
    }
  }
}
