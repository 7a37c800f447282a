package io.lamina;

/**
 * A monotonic clock in nanoseconds. Every duration Lamina measures (entry age, expiry, waits) reads one, so
 * tests can move time by hand.
 */
@FunctionalInterface
public interface Ticker {

  /** Nanoseconds since an arbitrary origin; only differences are meaningful. */
  long read();

  /** The system's monotonic clock, {@link System#nanoTime()}. */
  static Ticker system() {
    return System::nanoTime;
  }
}
