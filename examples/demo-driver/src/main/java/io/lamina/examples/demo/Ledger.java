package io.lamina.examples.demo;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The row versions the database returned for completed writes, per product, with when each write completed.
 * A read is <em>stale</em> when it served a version older than a write that had completed before the read
 * began; how long before says whether the cache's staleness bound was broken or the read merely raced the
 * invalidation on its way.
 */
final class Ledger {

  /** A completed write. */
  record Write(long version, long completedNanos) {}

  /** What a read's check found: not stale (age -1), or stale since a write completed {@code ageNanos} earlier. */
  record Verdict(long ageNanos) {
    static final Verdict FRESH = new Verdict(-1);

    boolean stale() {
      return ageNanos >= 0;
    }
  }

  private final Map<Long, List<Write>> writes = new ConcurrentHashMap<>();

  /** Records that a write of product {@code id} returned row version {@code version} at {@code completedNanos}. */
  void completed(long id, long version, long completedNanos) {
    List<Write> list = writes.computeIfAbsent(id, k -> new ArrayList<>());
    synchronized (list) {
      list.add(new Write(version, completedNanos));
    }
  }

  /**
   * Checks a read of product {@code id} that began at {@code startNanos} and served {@code servedVersion}: stale
   * when a write that completed before {@code startNanos} had returned a higher version; its age is measured
   * from the earliest such write.
   */
  Verdict check(long id, long servedVersion, long startNanos) {
    List<Write> list = writes.get(id);
    if (list == null) {
      return Verdict.FRESH;
    }
    long earliest = Long.MAX_VALUE;
    synchronized (list) {
      for (Write w : list) {
        if (w.completedNanos() < startNanos && w.version() > servedVersion && w.completedNanos() < earliest) {
          earliest = w.completedNanos();
        }
      }
    }
    return earliest == Long.MAX_VALUE ? Verdict.FRESH : new Verdict(startNanos - earliest);
  }
}
