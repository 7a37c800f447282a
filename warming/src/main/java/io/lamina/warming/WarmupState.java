package io.lamina.warming;

/** Where a warm-up is. */
public enum WarmupState {
  /** Built, not started. */
  PENDING,
  /** Asking the sources for keys. */
  PLANNING,
  /** Reading L2 in pipelined batches. */
  FROM_L2,
  /** Loading what L2 lacked from the source, under the rate limit. */
  FROM_SOURCE,
  /** Finished: every planned key was dealt with (some may have failed: see {@link WarmupProgress#failed()}). */
  DONE,
  /** The deadline passed first: the warm-up stopped with a warning; the keys it reached are warm. */
  TIMED_OUT,
  /** Stopped by {@link Warmup#cancel()}. */
  CANCELLED;

  /** Whether the warm-up has ended (readiness may open). */
  public boolean isFinal() {
    return this == DONE || this == TIMED_OUT || this == CANCELLED;
  }
}
