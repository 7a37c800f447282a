package io.lamina.spi;

/** An entry of a {@link LocalTier}: it tells the tier when it expires. */
public interface LocalEntry {

  /** The ticker time (nanoseconds) at which this entry expires. */
  long deadlineNanos();

  /**
   * The ticker time (nanoseconds) at which this entry was stored (for a load in flight, when it began), for
   * diagnostics such as an entry's age; {@link Long#MIN_VALUE} when unknown.
   */
  default long storedAtNanos() {
    return Long.MIN_VALUE;
  }
}
