package io.lamina.internal;

import io.lamina.TierUnavailableException;
import io.lamina.spi.Version;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Writes whose L2 part failed after the source had changed (design rule 13): the cache owns their repair. Each
 * failed id is tombstoned again, in pipelined batches, until it lands; then this node drops the key from L1 once
 * more and announces the repair (an invalidation with the tombstone's version), which is what lets every node
 * trust that id's L2 entry again (see {@link UnrepairedIds}). A failed whole-cache clear is retried the same way
 * and announced as a flush.
 *
 * <p>Bounded: past {@code capacity} ids the queue is replaced by one whole-cache clear, so an outage costs at
 * most one flush of the cache per node however many writes it failed. Retries back off from 50 ms to 1 s; the
 * blocking calls run on the cache's executor, one attempt at a time.
 */
final class RemoteRepairs<K> {

  private static final Logger LOG = Logger.getLogger(RemoteRepairs.class.getName());
  private static final long FIRST_RETRY_MILLIS = 50;
  private static final long MAX_RETRY_MILLIS = 1_000;
  private static final int BATCH = 512;

  /** What a landed repair must do on this node and tell the others. */
  interface Landing<K> {
    void tombstoned(K key, String id, Version version);

    void cleared();
  }

  private final String cacheName;
  private final int capacity;
  private final ScheduledExecutorService scheduler;
  private final Executor executor;
  private final RemoteCalls calls;
  private final Landing<K> landing;
  /** One failed write of an id; a later failure of the same id replaces it (compared by identity). */
  private static final class Failed<K> {
    final K key;

    Failed(K key) {
      this.key = key;
    }
  }

  private final LinkedHashMap<String, Failed<K>> pending = new LinkedHashMap<>(); // under this
  private boolean clearPending; // under this
  private boolean scheduled; // under this
  private boolean closed; // under this
  private long retryMillis = FIRST_RETRY_MILLIS; // under this
  final LongAdder queued = new LongAdder();
  final LongAdder landed = new LongAdder();
  final LongAdder overflows = new LongAdder();

  /** The two remote calls a repair makes, bounded and breaker-guarded by the caller's implementation. */
  interface RemoteCalls {
    List<Version> tombstoneAll(List<String> ids);

    void clear();
  }

  RemoteRepairs(String cacheName, int capacity, ScheduledExecutorService scheduler, Executor executor,
      RemoteCalls calls, Landing<K> landing) {
    this.cacheName = cacheName;
    this.capacity = capacity;
    this.scheduler = scheduler;
    this.executor = executor;
    this.calls = calls;
    this.landing = landing;
  }

  /** Queues the tombstone of {@code id} for repair. */
  synchronized void tombstone(K key, String id) {
    queued.increment();
    if (!clearPending) {
      pending.put(id, new Failed<>(key));
      if (pending.size() > capacity) {
        overflow();
      }
    }
    schedule(FIRST_RETRY_MILLIS);
  }

  /** Queues a whole-cache clear (it covers every queued tombstone). */
  synchronized void clear() {
    queued.increment();
    clearPending = true;
    pending.clear();
    schedule(FIRST_RETRY_MILLIS);
  }

  private void overflow() {
    overflows.increment();
    LOG.warning("cache '" + cacheName + "': more than " + capacity + " L2 writes are waiting for repair; the"
        + " whole cache will be cleared on every node once L2 answers");
    clearPending = true;
    pending.clear();
  }

  synchronized int pending() {
    return clearPending ? 1 : pending.size();
  }

  synchronized void close() {
    closed = true;
    if (clearPending || !pending.isEmpty()) {
      LOG.warning("cache '" + cacheName + "': closed with " + pending() + " L2 repairs not landed; other nodes"
          + " keep refusing those keys' L2 entries until they expire");
    }
  }

  private void schedule(long delayMillis) {
    if (scheduled || closed) {
      return;
    }
    scheduled = true;
    try {
      scheduler.schedule(() -> {
        try {
          executor.execute(this::attempt);
        } catch (RejectedExecutionException e) {
          retryLater();
        }
      }, delayMillis, TimeUnit.MILLISECONDS);
    } catch (RejectedExecutionException e) {
      scheduled = false;
    }
  }

  private void attempt() {
    boolean clear;
    Map<String, Failed<K>> batch = new LinkedHashMap<>();
    synchronized (this) {
      clear = clearPending;
      if (!clear) {
        for (Iterator<Map.Entry<String, Failed<K>>> it = pending.entrySet().iterator(); it.hasNext()
            && batch.size() < BATCH; ) {
          Map.Entry<String, Failed<K>> e = it.next();
          batch.put(e.getKey(), e.getValue());
        }
      }
    }
    try {
      if (clear) {
        calls.clear();
        synchronized (this) {
          clearPending = false;
        }
        landed.increment();
        landing.cleared();
      } else if (!batch.isEmpty()) {
        List<String> ids = new ArrayList<>(batch.keySet());
        List<Version> versions = calls.tombstoneAll(ids);
        for (int i = 0; i < ids.size(); i++) {
          String id = ids.get(i);
          Failed<K> taken = Objects.requireNonNull(batch.get(id));
          boolean repaired;
          synchronized (this) {
            // An id that failed again while this attempt ran (or that a queued clear now covers) may have changed
            // at the source after this tombstone: it stays suspect until its own repair.
            repaired = !clearPending && pending.remove(id, taken);
          }
          if (repaired) {
            landed.increment();
            landing.tombstoned(taken.key, id, versions.get(i));
          }
        }
      }
      synchronized (this) {
        retryMillis = FIRST_RETRY_MILLIS;
        scheduled = false;
        if (clearPending || !pending.isEmpty()) {
          schedule(0);
        }
      }
    } catch (TierUnavailableException e) {
      LOG.log(Level.FINE, "cache '" + cacheName + "': L2 repair not landed yet", e);
      retryLater();
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, "cache '" + cacheName + "': L2 repair failed; trying again", e);
      retryLater();
    }
  }

  private synchronized void retryLater() {
    scheduled = false;
    long delay = retryMillis;
    retryMillis = Math.min(MAX_RETRY_MILLIS, retryMillis * 2);
    schedule(delay);
  }
}
