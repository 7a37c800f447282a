package io.lamina;

/**
 * An immutable snapshot of one cache's counters since it was built. Counters only grow; take two snapshots and
 * subtract for a rate.
 *
 * @param l1 the local tier's counters
 * @param l2 the remote tier's counters (all zero when the cache has no remote tier)
 * @param loads loader calls that returned (values and negative results)
 * @param loadFailures loader calls that threw
 * @param negativeLoads loader calls that returned null (included in {@code loads})
 * @param totalLoadTimeNanos time spent in the loader, failures included
 * @param coalescedLoads callers that waited for another caller's load instead of loading
 * @param decodeFailures remote entries that could not be decoded (each a miss, each replaced)
 * @param encodeFailures loaded values the codec could not encode for L2, or too large for it: each was served to
 *     its caller and stored in neither tier
 * @param remoteFailures remote calls that failed or timed out
 * @param rejectedFills fills refused because a write or invalidation overtook the load
 * @param writeBehindPending keys queued or being written by write-behind now
 * @param writeBehindWritten keys written to the source by write-behind
 * @param writeBehindFailed keys whose write-behind writes failed after every attempt
 * @param protection the protection counters
 * @param l2Repairs this node's L2 writes that failed after the source changed, and their repair
 */
public record TieredCacheStats(
    TierStats l1,
    TierStats l2,
    long loads,
    long loadFailures,
    long negativeLoads,
    long totalLoadTimeNanos,
    long coalescedLoads,
    long decodeFailures,
    long encodeFailures,
    long remoteFailures,
    long rejectedFills,
    long writeBehindPending,
    long writeBehindWritten,
    long writeBehindFailed,
    ProtectionStats protection,
    RepairStats l2Repairs) {

  /**
   * L2 writes this node could not make after the source had changed (tombstones, versioned puts, clears), which
   * the cache retries until they land; meanwhile no node takes those keys' L2 entries as fresh.
   *
   * @param failed failed writes queued for repair
   * @param repaired repairs that landed (a clear counts once)
   * @param pending repairs waiting now (a queued whole-cache clear counts once)
   * @param overflows times the queue overflowed and was replaced by one whole-cache clear
   * @param refusedReads L2 entries read but not trusted, because a write of the key was not repaired yet
   */
  public record RepairStats(long failed, long repaired, long pending, long overflows, long refusedReads) {}


  /**
   * The counters of one tier.
   *
   * @param hits reads answered by this tier (negative results included)
   * @param misses reads this tier could not answer
   * @param puts entries stored in this tier
   * @param invalidations entries removed (L1) or tombstoned (L2) by writes and invalidations
   * @param evictions entries evicted by the size bound (L1; the remote tier does not report evictions: 0)
   * @param size the estimated number of entries now (L1; -1 for the remote tier, which is shared)
   */
  public record TierStats(long hits, long misses, long puts, long invalidations, long evictions, long size) {

    /** {@code hits / (hits + misses)}, or 1 when there were no reads (as Caffeine reports it). */
    public double hitRate() {
      long requests = hits + misses;
      return requests == 0 ? 1.0 : (double) hits / requests;
    }
  }
}
