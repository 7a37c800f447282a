package io.lamina.internal;

import io.lamina.Ticker;
import io.lamina.spi.LocalEntry;
import io.lamina.spi.LocalTier;
import io.lamina.spi.Version;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * Design rule 3, guarded fills, in one place: the cache's generation, its invalidation records, the reservations
 * a load puts in L1 first, and every store into L1 after a load or a write, each of which checks that nothing
 * invalidated the key since the value was read. Rule 4 (invalidations always remove) is {@link #invalidate}.
 */
final class GuardedFills<K, V> {

  private final LocalTier<K> local;
  private final InvalidationRecords<K> records;
  private final EntryPolicy<V> policy;
  private final Counters counters;
  private final Ticker ticker;
  /** Whether this node's L1 may be filled now (its bus node trusts it). */
  private final BooleanSupplier trusted;
  private final @Nullable HotKeySketch hotKeys;
  private final Function<K, String> idOf;
  /** How long a reservation lives after it is made, so an abandoned one disappears on its own. */
  private final long reservationNanos;
  private volatile Generation generation = new Generation(0);

  GuardedFills(LocalTier<K> local, InvalidationRecords<K> records, EntryPolicy<V> policy, Counters counters,
      Ticker ticker, BooleanSupplier trusted, @Nullable HotKeySketch hotKeys, Function<K, String> idOf,
      long reservationNanos) {
    this.local = local;
    this.records = records;
    this.policy = policy;
    this.counters = counters;
    this.ticker = ticker;
    this.trusted = trusted;
    this.hotKeys = hotKeys;
    this.idOf = idOf;
    this.reservationNanos = reservationNanos;
  }

  Generation generation() {
    return generation;
  }

  /** Makes every entry and reservation of older generations unreachable. */
  synchronized void bumpGeneration() {
    generation = generation.next();
  }

  /** Drops every L1 entry, and every reservation in flight with it. */
  void flush() {
    bumpGeneration();
    local.invalidateAll();
  }

  /** A fresh reservation of the current generation, owned by the calling thread. */
  Reservation newReservation() {
    return newReservation(Thread.currentThread());
  }

  /** A reservation for a read that parks no thread: no caller's thread owns it. */
  Reservation newAsyncReservation() {
    return newReservation(null);
  }

  private Reservation newReservation(@Nullable Thread owner) {
    long now = ticker.read();
    return new Reservation(generation, now, now + reservationNanos, owner);
  }

  /**
   * Stores a loaded value in place of {@code reservation}, if the reservation is still there, its generation is
   * current and no invalidation record says the value may be stale. Otherwise removes the reservation.
   */
  void fill(K key, Reservation reservation, @Nullable Object value, Version version, long remoteTtlMillis,
      long sourceVersion) {
    if (!replace(key, reservation, reservation.generation, reservation.reservedAtNanos, value, version,
        remoteTtlMillis, sourceVersion)) {
      local.remove(key, reservation);
    }
  }

  /**
   * Replaces {@code expected} (a reservation, or a stale entry being refreshed) with a value obtained since
   * {@code sinceNanos} in generation {@code generationAtStart}, unless the generation moved, L1 is not trusted,
   * or an invalidation recorded since then says the value may be old.
   *
   * <p>How long it lives is {@link EntryPolicy#loaded}'s to say.
   *
   * @return whether it was stored
   */
  boolean replace(K key, LocalEntry expected, Generation generationAtStart, long sinceNanos,
      @Nullable Object value, Version version, long remoteTtlMillis, long sourceVersion) {
    if (generationAtStart != generation || !trusted.getAsBoolean()
        || records.conflicts(key, version, sinceNanos)) {
      return false;
    }
    HotKeySketch sketch = hotKeys;
    boolean hot = sketch != null && value != null && sketch.isHot(idOf.apply(key));
    ValueEntry entry = policy.loaded(value, version, generationAtStart, sourceVersion, sinceNanos, ticker.read(),
        remoteTtlMillis, hot);
    if (!local.replace(key, expected, entry)) {
      return false;
    }
    counters.l1Puts.increment();
    if (generationAtStart != generation) {
      local.remove(key, entry); // invalidateAll ran between the check and the store
      return false;
    }
    return true;
  }

  /**
   * Puts a stale entry back in place of the reservation whose load failed (stale-if-error), unless the key was
   * invalidated since the reservation was made.
   *
   * @return whether it is back
   */
  boolean putBack(K key, Reservation mine, ValueEntry stale) {
    return !records.conflicts(key, stale.version, mine.reservedAtNanos) && local.replace(key, mine, stale);
  }

  /**
   * Stores a value this node wrote (with its source version), replacing whatever is there unless it holds a
   * newer source version. Reservations are replaced too: a write cancels loads in flight. An invalidation
   * recorded since {@code sinceNanos} (when the write's script was sent) may be of a newer write that L2 already
   * holds: then the key is only removed. {@code ownTtlMillis} (or -1) is the value's own time to live.
   */
  void storeWritten(K key, V value, Version version, long sourceVersion, long sinceNanos, long ownTtlMillis) {
    if (!trusted.getAsBoolean() || records.conflicts(key, version, sinceNanos)) {
      invalidate(key, version);
      return;
    }
    ValueEntry entry = policy.written(value, version, generation, sourceVersion, ticker.read(), ownTtlMillis);
    for (int attempt = 0; attempt < 16; attempt++) {
      LocalEntry current = local.getIfPresent(key);
      if (current instanceof ValueEntry ve && ve.generation == entry.generation
          && ve.sourceVersion() != ValueEntry.NO_SOURCE_VERSION && ve.sourceVersion() > sourceVersion) {
        return;
      }
      boolean stored = current == null ? local.putIfAbsent(key, entry) == null : local.replace(key, current, entry);
      if (stored) {
        counters.l1Puts.increment();
        if (records.conflicts(key, version, sinceNanos)) {
          local.remove(key, entry); // an invalidation recorded between the check and the store: it wins
        }
        return;
      }
    }
    invalidate(key, version); // heavy contention on one key: fall back to a miss
  }

  /** Removes the key from L1 and records the invalidation, so in-flight loads cannot store what they read. */
  void invalidate(K key, Version version) {
    if (!records.record(key, version)) {
      flush();
    }
    local.invalidate(key);
    counters.l1Invalidations.increment();
  }
}
