package io.lamina.spi;

/**
 * The version of one remote entry: an incarnation and a counter.
 *
 * <p>The remote tier's scripts increment the counter on every write, invalidation, intent and fill of a key.
 * When the key is absent (never written, expired or evicted) the next script starts a new random incarnation
 * with counter 1. Versions of different incarnations are <em>unordered</em>: neither is newer. That is what
 * keeps an eviction from making an old version look newer than a new one.
 *
 * <p>Incarnations are positive and below 2<sup>53</sup>, so that they survive a round trip through a Lua
 * number unchanged; {@link #NONE} (incarnation 0) stands for "no remote version is known".
 *
 * @param incarnation random per life of the key, {@code 0} only in {@link #NONE}
 * @param counter incremented by every script that changes the key
 */
public record Version(long incarnation, long counter) {

  /** No version known: the value did not come from, or was not stored in, a remote tier. */
  public static final Version NONE = new Version(0, 0);

  /** The largest incarnation a remote tier may choose (exclusive): 2<sup>53</sup>. */
  public static final long MAX_INCARNATION = 1L << 53;

  public Version {
    if (incarnation < 0 || incarnation >= MAX_INCARNATION) {
      throw new IllegalArgumentException("incarnation out of range: " + incarnation);
    }
    if (counter < 0) {
      throw new IllegalArgumentException("counter must not be negative: " + counter);
    }
  }

  /** Whether this version is known to come after {@code other}: same incarnation, higher counter. */
  public boolean isNewerThan(Version other) {
    return incarnation != 0 && incarnation == other.incarnation && counter > other.counter;
  }

  /** Whether {@code other} may be newer than this one: another incarnation, or the same with a higher counter. */
  public boolean mayBeOlderThan(Version other) {
    return incarnation == 0 || other.incarnation != incarnation || other.counter > counter;
  }

  @Override
  public String toString() {
    return incarnation + "." + counter;
  }
}
