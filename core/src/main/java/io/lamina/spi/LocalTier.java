package io.lamina.spi;

import org.jspecify.annotations.Nullable;

/**
 * An in-heap local tier (L1) for one cache: a bounded concurrent map whose values are the facade's entries.
 *
 * <p>The facade keeps its coherence state in the entries themselves (values with their version and generation,
 * and reservations for loads in flight), so a local tier needs only atomic map operations, a size bound and
 * per-entry expiry read from {@link LocalEntry#deadlineNanos()} on the ticker it was given.
 *
 * <p>{@link #getIfPresent} is the hit path: it must not allocate, copy, decode or lock.
 *
 * @param <K> the key type
 */
public interface LocalTier<K> {

  /** The entry stored under {@code key}, or null if none (or it expired). */
  @Nullable LocalEntry getIfPresent(K key);

  /** Stores {@code entry} if no entry is present; returns the present entry otherwise. */
  @Nullable LocalEntry putIfAbsent(K key, LocalEntry entry);

  /** Replaces {@code expected} (compared by identity) with {@code entry}; false if another entry is present. */
  boolean replace(K key, LocalEntry expected, LocalEntry entry);

  /** Removes {@code expected} (compared by identity) if it is still present. */
  boolean remove(K key, LocalEntry expected);

  /** Removes whatever is stored under {@code key}. */
  void invalidate(K key);

  /** Removes every entry. */
  void invalidateAll();

  /** An estimate of the number of entries, reservations included. */
  long estimatedSize();

  /** Entries evicted by the size bound so far. */
  long evictionCount();

  /** Releases resources (scheduled maintenance); the tier is not used afterwards. */
  default void close() {}
}
