package io.lamina.internal;

import io.lamina.Ticker;
import io.lamina.spi.Version;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Recent invalidations per key, kept for a fixed retention, so that a load can tell whether what it read may be
 * older than an invalidation it did not see remove its reservation (rule 3 of the coherence protocol).
 *
 * <p>Bounded: past {@code capacity} records the oldest are pruned; if pruning by age is not enough, the records
 * are dropped and the caller must bump the cache's generation (so nothing older than the drop can be stored).
 */
final class InvalidationRecords<K> {

  private record Record(Version version, long atNanos) {}

  private final ConcurrentHashMap<K, Record> records = new ConcurrentHashMap<>();
  private final Ticker ticker;
  private final long retentionNanos;
  private final int capacity;

  InvalidationRecords(Ticker ticker, long retentionNanos, int capacity) {
    this.ticker = ticker;
    this.retentionNanos = retentionNanos;
    this.capacity = capacity;
  }

  /**
   * Records an invalidation of {@code key} at {@code version} ({@link Version#NONE} when unknown).
   *
   * @return false if the records overflowed and were dropped: the caller must bump the generation
   */
  boolean record(K key, Version version) {
    long now = ticker.read();
    records.merge(key, new Record(version, now), (old, neu) -> newer(old, neu));
    if (records.size() <= capacity) {
      return true;
    }
    prune(now);
    if (records.size() <= capacity) {
      return true;
    }
    records.clear();
    return false;
  }

  /**
   * Whether a load of {@code key} that reserved at {@code reservedAtNanos} and read {@code loaded} must not be
   * stored: an invalidation happened after the load began, or a recent one names a version the load may not
   * have seen (another incarnation, or a higher counter).
   */
  boolean conflicts(K key, Version loaded, long reservedAtNanos) {
    Record r = records.get(key);
    if (r == null) {
      return false;
    }
    long now = ticker.read();
    if (now - r.atNanos > retentionNanos) {
      records.remove(key, r);
      return false;
    }
    if (r.atNanos - reservedAtNanos >= 0) {
      return true;
    }
    if (r.version.equals(Version.NONE) || loaded.equals(Version.NONE)) {
      return false;
    }
    return loaded.mayBeOlderThan(r.version) && !loaded.equals(r.version);
  }

  void clear() {
    records.clear();
  }

  int size() {
    return records.size();
  }

  private Record newer(Record old, Record neu) {
    // Keep the latest time; keep the version that may be newer, so the check stays conservative — and never let
    // an unknown version (NONE) erase a known one, which would let an older load through.
    Version v = neu.version.equals(Version.NONE) || old.version.isNewerThan(neu.version) ? old.version
        : neu.version;
    return new Record(v, Math.max(old.atNanos, neu.atNanos));
  }

  private void prune(long now) {
    for (Iterator<Map.Entry<K, Record>> it = records.entrySet().iterator(); it.hasNext(); ) {
      if (now - it.next().getValue().atNanos > retentionNanos) {
        it.remove();
      }
    }
  }
}
