package io.lamina.warming;

import java.time.Duration;
import org.jspecify.annotations.Nullable;

/**
 * A snapshot of one warm-up: how far it got, how fast, and how it ended. Counts only grow while it runs.
 *
 * @param cache the cache's name
 * @param state where the warm-up is
 * @param total the keys planned (after dropping duplicates and keys past {@link WarmupConfig#maxKeys()})
 * @param fromL2 keys found in L1 or L2 by the L2 pass (copied into L1, the source untouched)
 * @param loaded keys settled by the source pass: loaded from the source, or found filled meanwhile by another
 *     instance (which loaded them under its lease)
 * @param absent keys with no value: absent from L2 in {@link WarmupMode#L2_ONLY}, or negative results
 * @param failed keys whose batch failed (the source or L2 threw); see {@code lastError}
 * @param skipped keys not planned because of {@link WarmupConfig#maxKeys()}, or never reached before the deadline
 * @param elapsed time since the warm-up started
 * @param lastError the last failure's message (a source that could not list keys, a batch that failed), or null
 */
public record WarmupProgress(
    String cache,
    WarmupState state,
    long total,
    long fromL2,
    long loaded,
    long absent,
    long failed,
    long skipped,
    Duration elapsed,
    @Nullable String lastError) {

  /** Keys dealt with so far, whatever the outcome. */
  public long done() {
    return fromL2 + loaded + absent + failed;
  }

  /** Keys dealt with per second since the start (0 before the first second's worth of work). */
  public double keysPerSecond() {
    double seconds = elapsed.toNanos() / 1e9;
    return seconds <= 0 ? 0 : done() / seconds;
  }

  /** At the current pace, the time the remaining keys will take; zero once finished, null before any progress. */
  public @Nullable Duration timeLeft() {
    if (state.isFinal()) {
      return Duration.ZERO;
    }
    double rate = keysPerSecond();
    if (rate <= 0) {
      return null;
    }
    long remaining = Math.max(0, total - done());
    return Duration.ofNanos((long) (remaining / rate * 1e9));
  }

  /** Done over total, in [0, 1]; 1 for an empty plan. */
  public double fraction() {
    return total == 0 ? 1 : Math.min(1, (double) done() / total);
  }

  /** One line for a log: {@code products: FROM_SOURCE 4200/10000 (42 %), 950 keys/s, ~6 s left, 0 failed}. */
  public String describe() {
    Duration left = timeLeft();
    return cache + ": " + state + ' ' + done() + '/' + total + " (" + Math.round(fraction() * 100) + " %), "
        + Math.round(keysPerSecond()) + " keys/s, "
        + (left == null ? "time left unknown" : "~" + Math.max(0, left.toSeconds()) + " s left")
        + ", " + fromL2 + " from L2, " + loaded + " loaded, " + absent + " absent, " + failed + " failed"
        + (skipped > 0 ? ", " + skipped + " skipped" : "")
        + (lastError != null ? "; last error: " + lastError : "");
  }
}
