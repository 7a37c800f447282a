package io.lamina.spi;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.jspecify.annotations.Nullable;

/**
 * One cache's view of a remote tier: every operation addresses a canonical id within that cache.
 *
 * <p>Every operation touches exactly one remote key per id and runs atomically on the key's primary (a script),
 * so the store stays correct on a sharded remote tier. Bulk operations are pipelined: one round trip for many
 * ids, each id still atomic on its own.
 *
 * <p>The rules an implementation must follow (the contract suite in {@code lamina-testkit} checks each):
 * <ul>
 *   <li>Every write, invalidation, intent and fill increments the key's counter; when the key is absent a new
 *       random incarnation starts (see {@link Version}).
 *   <li>{@link #tombstone}, {@link #intent} and {@link #putVersioned} delete any outstanding lease token, so a
 *       load that started before them can no longer {@link #fill}.
 *   <li>{@link #fill} stores only while the key still holds the caller's lease token; an absent key (expired or
 *       evicted in between) rejects the fill.
 *   <li>Operations complete exceptionally (never hang) when the tier cannot be reached; the facade bounds every
 *       wait with its own timeout.
 * </ul>
 */
public interface RemoteStore {

  /** The {@code sourceVersion} of a fill whose value carries no source version (or a negative result). */
  long NO_SOURCE_VERSION = Long.MIN_VALUE;

  /**
   * Reads one id, optionally asking for a lease.
   *
   * <p>When {@code leaseToken} is not null and the entry is a miss (absent, tombstone or corrupt), the store
   * grants the lease for {@code leaseMillis} unless another unexpired lease is held or an intent is in place.
   * Granting a lease on an absent key creates it, so that a later write can revoke the lease. A live lease held
   * under the same token is granted again: tokens are per node, and a node whose read gave up waiting (the
   * server ran it later) must not wait for its own lease.
   */
  CompletionStage<RemoteEntry> read(String id, @Nullable String leaseToken, long leaseMillis);

  /** Reads many ids in one pipelined round trip; {@code leaseTokens} is null or parallel to {@code ids}. */
  CompletionStage<List<RemoteEntry>> readAll(
      List<String> ids, @Nullable List<String> leaseTokens, long leaseMillis);

  /**
   * Stores a loaded value (or, with a null payload, a negative result) if the key still holds
   * {@code leaseToken}; consumes the lease either way.
   *
   * <p>When the value carries its source version, the key keeps the higher of it and the source version it
   * held, so a later {@link #putVersioned} of an older version is refused.
   *
   * @param payload the encoded value, or null to store a negative result
   * @param ttlMillis the entry's time to live, already jittered by the caller
   * @param sourceVersion the value's source version, or {@link #NO_SOURCE_VERSION}
   */
  CompletionStage<FillResult> fill(String id, String leaseToken, byte @Nullable [] payload, long ttlMillis,
      long sourceVersion);

  /** Pipelined {@link #fill}s; the result list is parallel to {@code fills}. */
  CompletionStage<List<FillResult>> fillAll(List<Fill> fills);

  /**
   * Replaces whatever the key holds with a tombstone of a new version, under the current schema version and
   * every previous one still in service, and revokes any lease.
   *
   * @return the tombstone's version under the current schema version
   */
  CompletionStage<Version> tombstone(String id);

  /** Pipelined {@link #tombstone}s; the result list is parallel to {@code ids}. */
  CompletionStage<List<Version>> tombstoneAll(List<String> ids);

  /** In {@link #fenceAll}: no fence for this id, a plain tombstone. */
  long NO_FENCE = Long.MIN_VALUE;

  /**
   * Pipelined {@link #tombstone}s that also fence: the tombstone of {@code ids.get(i)} remembers at least
   * {@code fences[i]} as its highest source version ({@link #NO_FENCE}: nothing more than a tombstone), so a
   * {@link #putVersioned} of that version or an older one that is still on its way — a client's retry of a write
   * that timed out, arriving after the write was repaired — can no longer land while the tombstone lives. The
   * repair of a failed write uses it.
   *
   * @param fences parallel to {@code ids}
   * @return the tombstones' versions under the current schema version, parallel to {@code ids}
   */
  CompletionStage<List<Version>> fenceAll(List<String> ids, long[] fences);

  /**
   * Places an intent: a tombstone that refuses fills and expires after {@code ttlMillis}, revoking any lease.
   * Used by write-through before the writer runs.
   */
  CompletionStage<Version> intent(String id, long ttlMillis);

  /**
   * Stores a written value that carries the source's own version: only if the key holds no higher source
   * version (tombstones keep the highest source version they have seen). Revokes any lease.
   */
  CompletionStage<FillResult> putVersioned(String id, long sourceVersion, byte[] payload, long ttlMillis);

  /**
   * Replaces an entry that could not be decoded with a tombstone, only if its version is still
   * {@code expected} (a newer write must not be destroyed because an older entry was damaged).
   *
   * @return whether the entry was replaced
   */
  CompletionStage<Boolean> removeCorrupt(String id, Version expected);

  /**
   * Removes every key of this cache (all schema versions), without ever matching a pattern against ids.
   * A fill whose lease was taken before the call cannot survive it.
   */
  CompletionStage<Void> clear();

  /**
   * Records this node's hot keys (id to estimated reads) so that warming can preload them later; each id keeps
   * the highest count any node reported, and the record expires after {@code ttlMillis}. Tiers that keep no such
   * record ignore the call.
   */
  default CompletionStage<Void> recordHotKeys(Map<String, Long> counts, long ttlMillis) {
    return CompletableFuture.completedFuture(null);
  }

  /** The recorded hot keys, hottest first, at most {@code limit}; empty if the tier keeps no record. */
  default CompletionStage<List<String>> hotKeys(int limit) {
    return CompletableFuture.completedFuture(List.of());
  }

  /**
   * Asks for a <em>refresh lease</em>: on an entry that holds a value or a negative result and expires within
   * {@code aheadMillis}, the store grants {@code leaseToken} for {@code leaseMillis} unless another caller's lease
   * is live. The entry keeps answering reads meanwhile; a {@link #fill} with the token then replaces it, and every
   * write, invalidation or intent revokes the token exactly as it revokes a load's lease. Used to reload keys that
   * stay hot ahead of their expiry, by one node per key across the cluster.
   *
   * <p>The reply is shaped like {@link #read}'s, without the payload: the lease is {@code GRANTED},
   * {@code HELD_BY_OTHER}, or {@code NOT_REQUESTED} when the entry is not due (absent, a miss, or further from
   * expiry than {@code aheadMillis}). Tiers that cannot grant such leases reply {@code NOT_REQUESTED}: nothing is
   * refreshed ahead, entries simply expire.
   */
  default CompletionStage<RemoteEntry> leaseForRefresh(String id, String leaseToken, long leaseMillis,
      long aheadMillis) {
    return CompletableFuture.completedFuture(
        RemoteEntry.absent(RemoteEntry.Lease.NOT_REQUESTED));
  }

  /** One entry of a {@link #fillAll} batch. */
  record Fill(String id, String leaseToken, byte @Nullable [] payload, long ttlMillis, long sourceVersion) {}
}
