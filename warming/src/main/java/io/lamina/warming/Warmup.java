package io.lamina.warming;

import java.util.concurrent.CompletableFuture;

/**
 * One running (or finished) warm-up of one cache, from {@link CacheWarmer#start()}. Thread-safe.
 *
 * <p>A warm-up always ends: when every planned key was dealt with ({@link WarmupState#DONE}), when its
 * {@linkplain WarmupConfig#deadline() deadline} passes ({@link WarmupState#TIMED_OUT}, logged as a warning), or
 * when cancelled. Failures (a source that could not list its keys, a batch the source or L2 refused) are counted
 * and reported in the progress; they never end the warm-up early, and never make {@link #completion()} fail.
 */
public interface Warmup {

  /** The name of the cache being warmed. */
  String cache();

  /** A snapshot of the progress now: cheap (a few atomic reads), safe to poll from gauges. */
  WarmupProgress progress();

  /** Completes, never exceptionally, with the final progress once the warm-up has ended. */
  CompletableFuture<WarmupProgress> completion();

  /**
   * Waits for the end of the warm-up (at most its deadline, plus the time to stop) and returns the final progress.
   *
   * @throws InterruptedException if the waiting thread is interrupted; the warm-up keeps running
   */
  WarmupProgress await() throws InterruptedException;

  /** Whether the warm-up has ended. */
  default boolean isFinished() {
    return completion().isDone();
  }

  /** Stops the warm-up: batches in flight are interrupted, nothing more is read. Does nothing once ended. */
  void cancel();
}
