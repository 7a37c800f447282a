package io.lamina;

import java.util.Map;

/**
 * A snapshot of one node's invalidation-bus state for a namespace.
 *
 * @param trusted whether the node trusts its local tier now (false: degraded, reads bypass L1)
 * @param invalidationsSent invalidated ids sent
 * @param messagesSent messages sent (batches, flushes, heartbeats)
 * @param invalidationsReceived invalidated ids received from other nodes and applied
 * @param malformed messages dropped because they could not be decoded
 * @param gaps gaps detected, by reason ({@code sequence}, {@code heartbeat}, {@code epoch}, {@code transport},
 *     {@code publish})
 * @param flushes local tiers flushed because of a gap
 * @param degradedTransitions times the node stopped trusting its local tier
 * @param lagCount invalidation messages applied with a measured publish-to-apply lag
 * @param lagTotalMicros the sum of those lags, in microseconds (by the sender's and this node's wall clocks:
 *     exact on one host, as good as clock sync across hosts)
 * @param lagMaxMicros the largest of those lags
 * @param batchesSent invalidation batches sent: {@code invalidationsSent / batchesSent} is the mean batch size
 * @param largestBatch the most ids one batch carried
 * @param current whether the node has proved, within the staleness bound, that it applied every invalidation of
 *     every completed write (false: it serves only L1 entries younger than the bound)
 * @param deliveryLagMicros how far behind the node's proof of delivery was at its last check: the age of the
 *     oldest of the latest probes each node (itself included) acknowledged, on this node's own clock
 * @param deliveryLagMaxMicros the largest {@code deliveryLagMicros} seen
 * @param behindTransitions times the node fell behind the staleness bound
 * @param fromStrangers messages heard from origins not in the roster: their invalidations and flushes were
 *     applied (they only remove entries), but they could not make the node degraded or behind, nor wake waiters
 */
public record CoherenceStats(boolean trusted, long invalidationsSent, long messagesSent, long invalidationsReceived,
    long malformed, Map<String, Long> gaps, long flushes, long degradedTransitions, long lagCount,
    long lagTotalMicros, long lagMaxMicros, long batchesSent, long largestBatch, boolean current,
    long deliveryLagMicros, long deliveryLagMaxMicros, long behindTransitions, long fromStrangers) {

  /** The stats of a cache without a bus: always trusted, nothing sent. */
  public static final CoherenceStats NO_BUS = new CoherenceStats(true, 0, 0, 0, 0, Map.of(), 0, 0, 0, 0, 0, 0, 0, true,
      0, 0, 0, 0);
}
