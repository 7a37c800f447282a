package io.lamina.internal;

/**
 * One generation of a cache's local tier: entries and reservations hold the generation they were made in, and
 * are ignored once the cache has moved on to a new one (after an invalidate-all, or when invalidation records
 * overflowed).
 *
 * <p>Compared by identity, never by number: a new generation is a new object, so an old entry can never look
 * current again, however often the generation moves (a counter narrowed to save bytes could wrap). The number is
 * only for diagnostics. Every entry of a generation shares its one object, so this costs a 4-byte reference per
 * entry and one small object per generation still referenced.
 */
final class Generation {

  private final long number;

  Generation(long number) {
    this.number = number;
  }

  /** The generation after this one. */
  Generation next() {
    return new Generation(number + 1);
  }

  @Override
  public String toString() {
    return Long.toString(number);
  }
}
