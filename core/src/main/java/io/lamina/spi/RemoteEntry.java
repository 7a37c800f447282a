package io.lamina.spi;

import org.jspecify.annotations.Nullable;

/**
 * What a remote read found under one id.
 *
 * @param state what the key holds
 * @param version the key's version; {@link Version#NONE} when {@code state} is {@link State#ABSENT}
 * @param payload the encoded value (the facade's envelope) when {@code state} is {@link State#VALUE}, else null
 * @param remainingTtlMillis the key's remaining time to live in the remote tier, or {@code -1} when unknown; for
 *     {@link Lease#HELD_BY_OTHER}, the remaining time of the other caller's lease
 * @param lease what happened to the lease the read asked for
 */
public record RemoteEntry(
    State state, Version version, byte @Nullable [] payload, long remainingTtlMillis, Lease lease) {

  /** A key that holds nothing: never written, expired or evicted. */
  public static RemoteEntry absent(Lease lease) {
    return new RemoteEntry(State.ABSENT, Version.NONE, null, -1, lease);
  }

  /** Whether this entry answers a read: a value or a negative result. */
  public boolean isHit() {
    return state == State.VALUE || state == State.NEGATIVE;
  }

  /** The states of a remote key. */
  public enum State {
    /** Nothing is stored (or only a lease on an otherwise empty key). */
    ABSENT,
    /** A value, with its payload. */
    VALUE,
    /** A negative result: the source said the key does not exist. */
    NEGATIVE,
    /** A write or invalidation happened; the next read loads. A miss, never a negative result. */
    TOMBSTONE,
    /** A write-through is in progress; fills are refused until the intent is replaced or expires. A miss. */
    INTENT,
    /** The key holds something this tier cannot read (another type, a damaged envelope). A miss. */
    CORRUPT
  }

  /** The outcome of a lease request made with a read. */
  public enum Lease {
    /** The read did not ask for a lease, or the entry was a hit. */
    NOT_REQUESTED,
    /** The caller now holds the lease it asked for and may fill the key with its token. */
    GRANTED,
    /** Another caller holds an unexpired lease; this caller may load but must not fill. */
    HELD_BY_OTHER,
    /** An intent is in place: no fill is possible until the write completes. */
    REFUSED
  }
}
