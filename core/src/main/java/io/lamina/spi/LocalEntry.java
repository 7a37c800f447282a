package io.lamina.spi;

/** An entry of a {@link LocalTier}: it tells the tier when it expires. */
public interface LocalEntry {

  /** The ticker time (nanoseconds) at which this entry expires. */
  long deadlineNanos();
}
