package io.lamina.internal;

import io.lamina.Ticker;
import java.util.Iterator;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Ids whose L2 entry may be older than the source because a write's tombstone (or versioned put) could not reach
 * L2 (design rule 13). While an id is here, its L2 entry is never taken as fresh: reads load from the source and
 * store nothing. An id leaves when the node that failed to write it announces the repair (its next invalidation
 * of the id with a real version: same origin, so it cannot be an older message overtaking the failure), or after
 * {@code retentionNanos}, when the L2 entry has expired in any case.
 *
 * <p>Bounded: past {@code capacity} ids the set is dropped and every L2 entry is suspect until the longest
 * retention of the dropped ids has passed, which sends all of this cache's reads to the source meanwhile — the
 * price of never serving what might be stale, paid only after {@code capacity} unrepaired writes.
 */
final class UnrepairedIds {

  /** The node whose write did not land, and until when the id stays suspect. */
  private record Mark(UUID origin, long untilNanos) {}

  private final ConcurrentHashMap<String, Mark> ids = new ConcurrentHashMap<>();
  private final Ticker ticker;
  private final long retentionNanos;
  private final int capacity;
  private volatile long allSuspectUntilNanos;
  private volatile boolean allSuspect;
  /** Nodes whose whole-cache L2 clear failed and is being retried, with until when it can matter at most. */
  private final ConcurrentHashMap<UUID, Long> clearsPending = new ConcurrentHashMap<>();

  UnrepairedIds(Ticker ticker, long retentionNanos, int capacity) {
    this.ticker = ticker;
    this.retentionNanos = retentionNanos;
    this.capacity = capacity;
  }

  /** Marks {@code id} as possibly stale in L2, because {@code origin}'s write of it did not land. */
  void mark(String id, UUID origin) {
    long until = ticker.read() + retentionNanos;
    ids.put(id, new Mark(origin, until));
    if (ids.size() > capacity) {
      prune();
      if (ids.size() > capacity) {
        allSuspectUntilNanos = until;
        allSuspect = true;
        ids.clear();
      }
    }
  }

  /** {@code origin} repaired {@code id} (or wrote it again successfully): its L2 entry may be trusted again. */
  void repaired(String id, UUID origin) {
    Mark m = ids.get(id);
    if (m != null && m.origin.equals(origin)) {
      ids.remove(id, m);
    }
  }

  /** {@code origin} cleared the whole cache in L2: none of its failed writes is left unrepaired. */
  void repairedAll(UUID origin) {
    clearsPending.remove(origin);
    ids.values().removeIf(m -> m.origin.equals(origin));
  }

  /**
   * {@code origin} could not clear the whole cache in L2 and retries: every L2 entry is suspect until it
   * announces the clear ({@link #repairedAll}), or until the entries it meant to clear have expired.
   */
  void suspectAll(UUID origin) {
    clearsPending.put(origin, ticker.read() + retentionNanos);
  }

  /** Whether the L2 entry of {@code id} must not be taken as fresh now. Cheap when nothing is suspect. */
  boolean suspect(String id) {
    if (!clearsPending.isEmpty() && clearPending()) {
      return true;
    }
    if (allSuspect) {
      if (ticker.read() - allSuspectUntilNanos < 0) {
        return true;
      }
      allSuspect = false;
    }
    if (ids.isEmpty()) {
      return false;
    }
    Mark m = ids.get(id);
    if (m == null) {
      return false;
    }
    if (ticker.read() - m.untilNanos >= 0) {
      ids.remove(id, m);
      return false;
    }
    return true;
  }

  private boolean clearPending() {
    long now = ticker.read();
    clearsPending.values().removeIf(until -> now - until >= 0);
    return !clearsPending.isEmpty();
  }

  int size() {
    return ids.size();
  }

  private void prune() {
    long now = ticker.read();
    for (Iterator<Map.Entry<String, Mark>> it = ids.entrySet().iterator(); it.hasNext(); ) {
      if (now - it.next().getValue().untilNanos >= 0) {
        it.remove();
      }
    }
  }
}
