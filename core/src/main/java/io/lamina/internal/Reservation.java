package io.lamina.internal;

import io.lamina.spi.LocalEntry;
import java.util.concurrent.CompletableFuture;
import org.jspecify.annotations.Nullable;

/**
 * A load in flight, placed in the local tier before the remote tier or the source is read (a guarded fill).
 *
 * <p>Callers that find it wait for its {@link #result} instead of loading. Its value is stored only by
 * atomically replacing this very reservation, so an invalidation that removed it (or a write that replaced it)
 * makes the load's store fail; a later caller then starts a new load instead of joining the overtaken one.
 */
final class Reservation implements LocalEntry {

  final Generation generation;
  final long reservedAtNanos;
  /** The thread whose call waits for this load, or null for an asynchronous read (nobody waits on a thread). */
  final @Nullable Thread owner;
  final CompletableFuture<Outcome> result = new CompletableFuture<>();
  private final long deadlineNanos;

  Reservation(Generation generation, long reservedAtNanos, long deadlineNanos, @Nullable Thread owner) {
    this.generation = generation;
    this.reservedAtNanos = reservedAtNanos;
    this.deadlineNanos = deadlineNanos;
    this.owner = owner;
  }

  @Override
  public long deadlineNanos() {
    return deadlineNanos;
  }

  @Override
  public long storedAtNanos() {
    return reservedAtNanos;
  }

  /**
   * What a load produced.
   *
   * @param value the value, or null for a negative result or when nothing was found
   * @param found false when a read without a loader found nothing (a joiner with a loader then loads itself)
   */
  record Outcome(@Nullable Object value, boolean found) {
    static final Outcome NOT_FOUND = new Outcome(null, false);
  }
}
