package io.lamina.spring;

import org.jspecify.annotations.Nullable;

/**
 * What one instance knows about one key of one cache, for diagnostics.
 *
 * @param cache the cache's name
 * @param id the key's canonical id
 * @param l1 this instance's local tier
 * @param l2 the remote tier, or null when the cache has none
 */
public record KeyState(String cache, String id, Local l1, @Nullable Remote l2) {

  /**
   * The key in this instance's local tier.
   *
   * @param present whether the local tier holds an entry (a value, a negative result or a load in flight)
   * @param entry the entry as Lamina describes it (kind, remote version, generation), or null when absent
   * @param expiresInMillis how long until the entry expires from the local tier, or null when absent
   * @param ageMillis how long ago the entry was stored (for a load in flight, began), or null when absent
   */
  public record Local(boolean present, @Nullable String entry, @Nullable Long expiresInMillis,
      @Nullable Long ageMillis) {}

  /**
   * The key in the remote tier, read without taking a lease.
   *
   * @param state {@code ABSENT}, {@code VALUE}, {@code NEGATIVE}, {@code TOMBSTONE}, {@code INTENT},
   *     {@code CORRUPT}, or {@code UNREACHABLE} when the read failed
   * @param version the key's version as {@code incarnation.counter} ({@code 0.0} when absent)
   * @param ttlMillis the key's remaining time to live in the remote tier, -1 when unknown
   * @param error why the read failed, or null
   */
  public record Remote(String state, String version, long ttlMillis, @Nullable String error) {}
}
