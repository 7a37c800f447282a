package io.lamina.internal;

import io.lamina.spi.LocalEntry;
import io.lamina.spi.Version;
import org.jspecify.annotations.Nullable;

/**
 * A value (or, with a null value, a negative result) in the local tier, with what the guards need: the remote
 * version it was read or stored at, the generation it belongs to and the source version when known.
 */
final class ValueEntry implements LocalEntry {

  static final long NO_SOURCE_VERSION = Long.MIN_VALUE;

  final @Nullable Object value;
  final Version version;
  final long generation;
  final long sourceVersion;
  final long storedAtNanos;
  /** Until when the entry is fresh; past it (up to the deadline) it may only be served stale. */
  final long freshUntilNanos;
  /** How long obtaining this value took (reservation to store): the cost early refresh weighs. */
  final long loadNanos;
  private final long deadlineNanos;

  ValueEntry(@Nullable Object value, Version version, long generation, long sourceVersion, long storedAtNanos,
      long freshUntilNanos, long deadlineNanos, long loadNanos) {
    this.value = value;
    this.version = version;
    this.generation = generation;
    this.sourceVersion = sourceVersion;
    this.storedAtNanos = storedAtNanos;
    this.freshUntilNanos = freshUntilNanos;
    this.deadlineNanos = deadlineNanos;
    this.loadNanos = loadNanos;
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
}
