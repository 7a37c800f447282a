package io.lamina;

import io.lamina.spi.RemoteEntry;
import org.jspecify.annotations.Nullable;

/**
 * What one instance knows about one key, for diagnostics ({@link TieredCache#inspect}): taken without counting a
 * read, filling a tier or taking a lease, so looking does not change what is looked at.
 *
 * @param cache the cache's name
 * @param id the key's canonical id (what L2 and the bus use)
 * @param trusted whether this instance serves its L1 at the moment (see {@link CoherenceStats#trusted()})
 * @param pendingWrite whether a write-behind write of the key is queued on this instance
 * @param l1 this instance's local tier
 * @param l2 the remote tier, or null when the cache has none
 */
public record Inspection(String cache, String id, boolean trusted, boolean pendingWrite, Local l1,
    @Nullable Remote l2) {

  /** What the local tier holds for a key; an entry a flush made unusable counts as absent. */
  public enum LocalState {
    /** Nothing. */
    ABSENT,
    /** A value. */
    VALUE,
    /** A cached negative result (the source said the key does not exist). */
    NEGATIVE,
    /** A load in flight on this instance. */
    LOADING
  }

  /**
   * The key in this instance's local tier. Times are -1 when they do not apply.
   *
   * @param state what is held
   * @param version the L2 version the entry was read or written with ({@code incarnation.counter}), or null
   * @param sourceVersion the value's source version ({@code versionOf}), or null when unknown
   * @param ageMillis since the entry was stored (a load: since it began)
   * @param freshForMillis until the entry stops being fresh (negative once it is stale)
   * @param expiresInMillis until the entry leaves the local tier, stale serving included
   */
  public record Local(LocalState state, @Nullable String version, @Nullable Long sourceVersion, long ageMillis,
      long freshForMillis, long expiresInMillis) {}

  /**
   * The key in the remote tier, read without taking a lease.
   *
   * @param state what L2 holds, or null when it could not be read
   * @param version the key's version ({@code incarnation.counter}; {@code 0.0} when absent or unread)
   * @param ttlMillis the key's remaining time to live, -1 when unknown
   * @param error why the read failed, or null
   */
  public record Remote(RemoteEntry.@Nullable State state, String version, long ttlMillis, @Nullable String error) {}
}
