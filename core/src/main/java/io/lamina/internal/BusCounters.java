package io.lamina.internal;

import io.lamina.CoherenceStats;
import io.lamina.Ticker;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.BooleanSupplier;

/**
 * A bus node's counters: striped, so the send and receive paths never contend on them. Read only as a
 * {@link CoherenceStats} snapshot.
 */
final class BusCounters {

  final LongAdder invalidationsSent = new LongAdder();
  final LongAdder messagesSent = new LongAdder();
  final LongAdder batchesSent = new LongAdder();
  final AtomicInteger largestBatch = new AtomicInteger();
  final LongAdder invalidationsReceived = new LongAdder();
  final LongAdder malformed = new LongAdder();
  final LongAdder fromStrangers = new LongAdder();
  final LongAdder flushes = new LongAdder();
  final LongAdder degradedTransitions = new LongAdder();
  private final Map<String, LongAdder> gaps = new ConcurrentHashMap<>();
  private final LongAdder lagCount = new LongAdder();
  private final LongAdder lagTotalMicros = new LongAdder();
  private final AtomicLong lagMaxMicros = new AtomicLong();

  /** Counts one gap under its reason ({@code sequence}, {@code epoch}, {@code publish}, ...). */
  void gap(String reason) {
    gaps.computeIfAbsent(reason, r -> new LongAdder()).increment();
  }

  /** Publish-to-apply lag, by the two nodes' wall clocks: exact on one host, approximate across hosts. */
  void recordLag(long micros) {
    long lag = Math.max(0, micros);
    lagCount.increment();
    lagTotalMicros.add(lag);
    lagMaxMicros.accumulateAndGet(lag, Math::max);
  }

  /** The counters now, with the node's trust (read after the gaps) and its delivery horizon (after the counters). */
  CoherenceStats snapshot(BooleanSupplier trusted, DeliveryHorizon horizon, Ticker ticker) {
    Map<String, Long> byReason = new TreeMap<>();
    gaps.forEach((k, v) -> byReason.put(k, v.sum()));
    return new CoherenceStats(trusted.getAsBoolean(), invalidationsSent.sum(), messagesSent.sum(),
        invalidationsReceived.sum(), malformed.sum(), Map.copyOf(byReason), flushes.sum(), degradedTransitions.sum(),
        lagCount.sum(), lagTotalMicros.sum(), lagMaxMicros.get(), batchesSent.sum(), largestBatch.get(),
        horizon.isCurrent(ticker.read()), horizon.ageMicros(), horizon.worstAgeMicros(), horizon.behindTransitions(),
        fromStrangers.sum());
  }
}
