package io.lamina.spi;

/**
 * The outcome of a lease-guarded fill or a versioned set.
 *
 * @param stored whether the value was stored
 * @param version the key's version after the call: the stored value's version, or what the key holds now
 */
public record FillResult(boolean stored, Version version) {

  /** A store that happened, at {@code version}. */
  public static FillResult stored(Version version) {
    return new FillResult(true, version);
  }

  /** A store that was refused; {@code current} is what the key holds now ({@link Version#NONE} if absent). */
  public static FillResult rejected(Version current) {
    return new FillResult(false, current);
  }
}
