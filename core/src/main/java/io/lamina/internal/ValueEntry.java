package io.lamina.internal;

import io.lamina.spi.LocalEntry;
import io.lamina.spi.Version;
import org.jspecify.annotations.Nullable;

/**
 * A value (or, with a null value, a negative result) in the local tier, with what the guards need: the remote
 * version it was read or stored at, the generation it belongs to and the source version when known.
 *
 * <p>There is one per L1 entry, so its size is L1's overhead over a plain Caffeine cache: 48 bytes with compressed
 * references (12 header, three references, two longs, two ints), 56 when it carries a source version. The store
 * time and the deadline are exact. The freshness end and the load time are ints in a per-cache unit, a power of
 * ten nanoseconds ({@link #timeUnitNanos}), rounded so the guards only ever err towards caution:
 *
 * <ul>
 *   <li>Freshness is kept as an offset after {@link #storedAtNanos}, rounded down: an entry goes stale at most one
 *       unit early, never late, and the stale-serving windows (measured from the end of freshness) end early too.
 *       An offset too long for an int saturates down, the same safe way. (An offset back from the deadline would
 *       keep "fresh until the deadline" exact, but one too long for an int would have to saturate towards fresh.)
 *   <li>The load time is rounded up: it dates the load's start ({@code storedAt - load}), which decides whether
 *       an entry may be served while the bus is behind (the older, the sooner it may not), and weighs early
 *       refresh (which a longer load makes only a little earlier).
 * </ul>
 *
 * <p>The unit is the smallest that holds the hard max age Δ in 30 bits (for any Δ up to 34 years), so nothing an
 * entry holds saturates while it can be read. Such an entry was alive when stored ({@code storedAt < deadline}),
 * and both its deadline and its freshness are capped at {@code loadStart + Δ}: so its load time
 * ({@code storedAt - loadStart}) and its freshness offset are under Δ. The offset is not negative either: of the
 * bounds on freshness only that cap can fall before the store, and the deadline is never after it. For the
 * default Δ of 10 minutes the unit is 1 µs; being decimal, it keeps durations of whole milliseconds exact.
 */
class ValueEntry implements LocalEntry {

  static final long NO_SOURCE_VERSION = Long.MIN_VALUE;

  final @Nullable Object value;
  final Version version;
  final Generation generation;
  final long storedAtNanos;
  private final long deadlineNanos;
  /** Until when the entry is fresh, in units after the store, rounded down; see {@link #freshUntilNanos}. */
  private final int freshUnits;
  /** How long obtaining this value took (reservation to store), in units, rounded up. */
  private final int loadUnits;

  private ValueEntry(@Nullable Object value, Version version, Generation generation, long storedAtNanos,
      long freshUntilNanos, long deadlineNanos, long loadNanos, long timeUnit) {
    this.value = value;
    this.version = version;
    this.generation = generation;
    this.storedAtNanos = storedAtNanos;
    this.deadlineNanos = deadlineNanos;
    this.freshUnits = saturate(Math.floorDiv(freshUntilNanos - storedAtNanos, timeUnit));
    long load = Math.max(0, loadNanos);
    this.loadUnits = saturate(load / timeUnit + (load % timeUnit == 0 ? 0 : 1));
  }

  /**
   * An entry; it holds {@code sourceVersion} only when that is known (not {@link #NO_SOURCE_VERSION}), so
   * caches without {@code versionOf} do not pay for it.
   *
   * @param timeUnit the cache's {@link #timeUnitNanos}
   */
  static ValueEntry of(@Nullable Object value, Version version, Generation generation, long sourceVersion,
      long storedAtNanos, long freshUntilNanos, long deadlineNanos, long loadNanos, long timeUnit) {
    return sourceVersion == NO_SOURCE_VERSION
        ? new ValueEntry(value, version, generation, storedAtNanos, freshUntilNanos, deadlineNanos, loadNanos,
            timeUnit)
        : new Versioned(value, version, generation, sourceVersion, storedAtNanos, freshUntilNanos, deadlineNanos,
            loadNanos, timeUnit);
  }

  /**
   * The time unit of the entries of a cache whose hard max age is {@code maxAge}: the smallest power of ten
   * nanoseconds that holds it in 30 bits, at most a second (so that any int of units fits a long).
   */
  static long timeUnitNanos(long maxAgeNanos) {
    long unit = 1;
    while (unit < 1_000_000_000L && maxAgeNanos / unit >= 1 << 30) {
      unit *= 10;
    }
    return unit;
  }

  private static int saturate(long units) {
    return (int) Math.max(Integer.MIN_VALUE, Math.min(Integer.MAX_VALUE, units));
  }

  /** The value's source version, or {@link #NO_SOURCE_VERSION}. */
  long sourceVersion() {
    return NO_SOURCE_VERSION;
  }

  /** Until when the entry is fresh (at most one unit earlier than asked); past it, up to the deadline, only stale. */
  long freshUntilNanos(long timeUnit) {
    return storedAtNanos + freshUnits * timeUnit;
  }

  /** How long obtaining this value took (at most one unit longer than it did): the cost early refresh weighs. */
  long loadNanos(long timeUnit) {
    return loadUnits * timeUnit;
  }

  @Override
  public long deadlineNanos() {
    return deadlineNanos;
  }

  @Override
  public long storedAtNanos() {
    return storedAtNanos;
  }

  @Override
  public String toString() {
    return "ValueEntry{version=" + version + ", generation=" + generation + (value == null ? ", negative" : "")
        + '}';
  }

  /** An entry whose value has a known source version, which a write of an older one must not replace. */
  private static final class Versioned extends ValueEntry {

    private final long sourceVersion;

    Versioned(@Nullable Object value, Version version, Generation generation, long sourceVersion,
        long storedAtNanos, long freshUntilNanos, long deadlineNanos, long loadNanos, long timeUnit) {
      super(value, version, generation, storedAtNanos, freshUntilNanos, deadlineNanos, loadNanos, timeUnit);
      this.sourceVersion = sourceVersion;
    }

    @Override
    long sourceVersion() {
      return sourceVersion;
    }
  }
}
