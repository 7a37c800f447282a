package io.lamina.internal;

import io.lamina.ProtectionStats;
import io.lamina.TieredCacheStats;
import io.lamina.TieredCacheStats.TierStats;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import org.jspecify.annotations.Nullable;

/** The cache's counters: striped, so recording a hit never contends and never allocates once warm. */
final class Counters {

  final LongAdder l1Hits = new LongAdder();
  final LongAdder l1Misses = new LongAdder();
  final LongAdder l1Puts = new LongAdder();
  final LongAdder l1Invalidations = new LongAdder();
  final LongAdder l2Hits = new LongAdder();
  final LongAdder l2Misses = new LongAdder();
  final LongAdder l2Puts = new LongAdder();
  final LongAdder l2Invalidations = new LongAdder();
  final LongAdder loads = new LongAdder();
  final LongAdder loadFailures = new LongAdder();
  final LongAdder negativeLoads = new LongAdder();
  final LongAdder loadTimeNanos = new LongAdder();
  final LongAdder coalescedLoads = new LongAdder();
  final LongAdder decodeFailures = new LongAdder();
  final LongAdder encodeFailures = new LongAdder();
  final LongAdder remoteFailures = new LongAdder();
  final LongAdder rejectedFills = new LongAdder();
  final LongAdder writeBehindWritten = new LongAdder();
  final LongAdder writeBehindFailed = new LongAdder();
  final LongAdder loadTimeouts = new LongAdder();
  final LongAdder leaseWaits = new LongAdder();
  final LongAdder wakeUps = new LongAdder();
  final LongAdder leaseWaitsExpired = new LongAdder();
  final LongAdder staleServed = new LongAdder();
  final LongAdder staleServedOnError = new LongAdder();
  final LongAdder refreshes = new LongAdder();
  final LongAdder remoteCallsRejected = new LongAdder();
  final LongAdder loadsRejected = new LongAdder();
  final LongAdder filteredMisses = new LongAdder();
  final LongAdder unrepairedReads = new LongAdder();

  /** Loads abandoned past the load timeout whose loader still runs: a gauge, not a counter. */
  final AtomicInteger abandonedLoadsRunning = new AtomicInteger();

  TieredCacheStats snapshot(long l1Evictions, long l1Size, long writeBehindPending, String remoteBreakerState,
      String loaderBreakerState, @Nullable RemoteRepairs<?> repairs) {
    return new TieredCacheStats(
        new TierStats(l1Hits.sum(), l1Misses.sum(), l1Puts.sum(), l1Invalidations.sum(), l1Evictions, l1Size),
        new TierStats(l2Hits.sum(), l2Misses.sum(), l2Puts.sum(), l2Invalidations.sum(), 0, -1),
        loads.sum(),
        loadFailures.sum(),
        negativeLoads.sum(),
        loadTimeNanos.sum(),
        coalescedLoads.sum(),
        decodeFailures.sum(),
        encodeFailures.sum(),
        remoteFailures.sum(),
        rejectedFills.sum(),
        writeBehindPending,
        writeBehindWritten.sum(),
        writeBehindFailed.sum(),
        new ProtectionStats(loadTimeouts.sum(), leaseWaits.sum(), wakeUps.sum(), leaseWaitsExpired.sum(),
            staleServed.sum(), staleServedOnError.sum(), refreshes.sum(), remoteCallsRejected.sum(),
            loadsRejected.sum(), filteredMisses.sum(), abandonedLoadsRunning.get(), remoteBreakerState, loaderBreakerState),
        repairs == null ? new TieredCacheStats.RepairStats(0, 0, 0, 0, unrepairedReads.sum())
            : new TieredCacheStats.RepairStats(repairs.queued.sum(), repairs.landed.sum(), repairs.pending(),
                repairs.overflows.sum(), unrepairedReads.sum()));
  }
}
