package io.lamina.internal;

import io.lamina.Ticker;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The ids this node wrote to L2 recently (design rule 9). Redis replicates asynchronously: a tombstone the old
 * primary acknowledged may never reach the replica that takes over, which would then serve the value the write
 * replaced until its TTL. When the node sees the primary change, it writes every journaled id's tombstone again.
 *
 * <p>Bounded: past {@code capacity} ids within the window, or after a whole-cache clear within it, the answer is
 * "clear the whole cache" instead of a list.
 */
final class WriteJournal {

  /** How far back the journal reaches: failover detection plus replica lag, with a wide margin. */
  static final long WINDOW_NANOS = 60_000_000_000L;

  private final Ticker ticker;
  private final long windowNanos;
  private final int capacity;
  private final LinkedHashMap<String, Long> written = new LinkedHashMap<>(); // id -> when; oldest first; under this
  private long wholeCacheUntil = Long.MIN_VALUE; // under this
  private boolean wholeCache; // under this

  WriteJournal(Ticker ticker, long windowNanos, int capacity) {
    this.ticker = ticker;
    this.windowNanos = windowNanos;
    this.capacity = capacity;
  }

  /** {@code id} was written to L2 now. */
  synchronized void wrote(String id) {
    long now = ticker.read();
    written.remove(id);
    written.put(id, now);
    trim(now);
    if (written.size() > capacity) {
      wholeCacheFrom(now);
    }
  }

  /** The whole cache was cleared in L2 now. */
  synchronized void cleared() {
    wholeCacheFrom(ticker.read());
  }

  private void wholeCacheFrom(long now) {
    wholeCache = true;
    wholeCacheUntil = now + windowNanos;
    written.clear();
  }

  private void trim(long now) {
    Iterator<Map.Entry<String, Long>> it = written.entrySet().iterator();
    while (it.hasNext() && now - it.next().getValue() > windowNanos) {
      it.remove();
    }
    if (wholeCache && now - wholeCacheUntil > 0) {
      wholeCache = false;
    }
  }

  /** What must be written again after a failover: null for the whole cache, else the ids. */
  synchronized @Nullable List<String> recent() {
    trim(ticker.read());
    return wholeCache ? null : new ArrayList<>(written.keySet());
  }
}
