package io.lamina.testkit.memory;

import io.lamina.spi.RemoteEntry;
import io.lamina.spi.Version;
import org.jspecify.annotations.Nullable;

/** One key of the in-memory remote tier: an immutable snapshot, replaced atomically by each operation. */
final class InMemorySlot {

  static final long NO_SOURCE_VERSION = Long.MIN_VALUE;

  final RemoteEntry.State state;
  final long incarnation;
  final long counter;
  final @Nullable String lease;
  final long leaseExpiresAtMillis;
  final long sourceVersion;
  final byte @Nullable [] payload;
  final long expiresAtMillis;
  final boolean foreign;

  InMemorySlot(RemoteEntry.State state, long incarnation, long counter, @Nullable String lease,
      long leaseExpiresAtMillis, long sourceVersion, byte @Nullable [] payload, long expiresAtMillis,
      boolean foreign) {
    this.state = state;
    this.incarnation = incarnation;
    this.counter = counter;
    this.lease = lease;
    this.leaseExpiresAtMillis = leaseExpiresAtMillis;
    this.sourceVersion = sourceVersion;
    this.payload = payload;
    this.expiresAtMillis = expiresAtMillis;
    this.foreign = foreign;
  }

  static InMemorySlot foreign() {
    return new InMemorySlot(RemoteEntry.State.CORRUPT, 0, 0, null, 0, NO_SOURCE_VERSION, null, Long.MAX_VALUE,
        true);
  }

  Version version() {
    return foreign ? Version.NONE : new Version(incarnation, counter);
  }

  boolean expired(long nowMillis) {
    return nowMillis >= expiresAtMillis;
  }

  boolean leaseLive(long nowMillis) {
    return lease != null && nowMillis < leaseExpiresAtMillis;
  }

  String stateLetter() {
    if (foreign) {
      return "X";
    }
    return switch (state) {
      case VALUE -> "V";
      case NEGATIVE -> "N";
      case INTENT -> "I";
      default -> "T";
    };
  }

  InMemorySlot withPayload(byte[] p) {
    return new InMemorySlot(RemoteEntry.State.VALUE, incarnation, counter, lease, leaseExpiresAtMillis,
        sourceVersion, p, expiresAtMillis, foreign);
  }

  InMemorySlot withLease(String token, long leaseExpiresAt, long expiresAt) {
    return new InMemorySlot(state, incarnation, counter, token, leaseExpiresAt, sourceVersion, payload, expiresAt,
        false);
  }

  /** The next version of this key in a new state, without lease; payload and TTL as given. */
  InMemorySlot next(RemoteEntry.State newState, byte @Nullable [] newPayload, long newSourceVersion,
      long newExpiresAt) {
    return new InMemorySlot(newState, incarnation, counter + 1, null, 0, newSourceVersion, newPayload,
        newExpiresAt, false);
  }

  /** A fresh key of a new incarnation. */
  static InMemorySlot fresh(RemoteEntry.State state, long incarnation, byte @Nullable [] payload,
      long sourceVersion, long expiresAt) {
    return new InMemorySlot(state, incarnation, 1, null, 0, sourceVersion, payload, expiresAt, false);
  }
}
