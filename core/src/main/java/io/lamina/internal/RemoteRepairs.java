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
 * <p>A failed write may still land: its client can send it again after the timeout that made it fail, after
 * the repair. So the repair's tombstone is fenced with the highest source version among the id's failed
 * versioned puts, which the store then refuses ({@link io.lamina.spi.RemoteStore#fenceAll}).
 *
 * <p>Each retry first announces its ids as unrepaired again: a node that missed the first announcement (its
 * subscription was down, or the bus was Redis and went down with it) learns it within one retry, not only when
 * the repair lands, which may be long after L2 answers again.
 *
 * <p>Bounded: past {@code capacity} ids the queue is replaced by one whole-cache clear, so an outage costs at
 * most one flush of the cache per node however many writes it failed (a clear fences nothing: a write sent again
 * after it can land; that is the price of the bound). Retries back off from 50 ms to 250 ms; the blocking calls
 * run on the cache's executor, one attempt at a time.
 */
final class RemoteRepairs<K> {

  private static final Logger LOG = Logger.getLogger(RemoteRepairs.class.getName());
  private static final long FIRST_RETRY_MILLIS = 50;
  private static final long MAX_RETRY_MILLIS = 250;
  private static final int BATCH = 512;

  /** What a landed repair must do on this node and tell the others. */
  interface Landing<K> {
    void tombstoned(K key, String id, Version version);

    /** {@code id} is still waiting for its repair: announce it again. */
    void stillUnrepaired(String id);

    void cleared();
  }

  private final String cacheName;
  private final int capacity;
  private final ScheduledExecutorService scheduler;
  private final Executor executor;
  private final RemoteCalls calls;
  private final Landing<K> landing;
  /**
   * The failed writes of an id: the key and the fence (the highest source version among its failed versioned
   * puts). A later failure of the same id replaces it (compared by identity).
   */
  private static final class Failed<K> {
    final K key;
    final long fence;

    Failed(K key, long fence) {
      this.key = key;
      this.fence = fence;
    }
  }

  private final LinkedHashMap<String, Failed<K>> pending = new LinkedHashMap<>(); // under this
  private boolean clearPending; // under this
  private boolean scheduled; // under this
  private boolean closed; // under this
  private long retryMillis = FIRST_RETRY_MILLIS; // under this
  private boolean retrying; // under this: the last attempt failed
  final LongAdder queued = new LongAdder();
  final LongAdder landed = new LongAdder();
  final LongAdder overflows = new LongAdder();

  /** The two remote calls a repair makes, bounded and breaker-guarded by the caller's implementation. */
  interface RemoteCalls {
    List<Version> fenceAll(List<String> ids, long[] fences);

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

  /**
   * Queues the tombstone of {@code id} for repair, fenced at {@code fence} (a failed versioned put's source
   * version) or {@link io.lamina.spi.RemoteStore#NO_FENCE}.
   */
  synchronized void tombstone(K key, String id, long fence) {
    queued.increment();
    if (!clearPending) {
      Failed<K> before = pending.get(id);
      pending.put(id, new Failed<>(key, before == null ? fence : Math.max(before.fence, fence)));
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
    boolean announce;
    Map<String, Failed<K>> batch = new LinkedHashMap<>();
    synchronized (this) {
      if (closed) {
        scheduled = false;
        return; // the cache is closed: its client may be too, and nobody reads what a repair would announce
      }
      clear = clearPending;
      announce = retrying;
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
        long[] fences = new long[ids.size()];
        for (int i = 0; i < fences.length; i++) {
          fences[i] = Objects.requireNonNull(batch.get(ids.get(i))).fence;
          if (announce) {
            landing.stillUnrepaired(ids.get(i));
          }
        }
        List<Version> versions = calls.fenceAll(ids, fences);
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
        retrying = false;
        scheduled = false;
        if (clearPending || !pending.isEmpty()) {
          schedule(0);
        }
      }
    } catch (TierUnavailableException e) {
      LOG.log(Level.FINE, "cache '" + cacheName + "': L2 repair not landed yet", e);
      retryLater();
    } catch (RuntimeException e) {
      if (isClosed()) {
        // closed while it ran: the client it used is shutting down (close() warned of what is not landed)
        LOG.log(Level.FINE, "cache '" + cacheName + "': L2 repair stopped by close", e);
        return;
      }
      LOG.log(Level.WARNING, "cache '" + cacheName + "': L2 repair failed; trying again", e);
      retryLater();
    }
  }

  private synchronized boolean isClosed() {
    return closed;
  }

  private synchronized void retryLater() {
    retrying = true;
    scheduled = false;
    long delay = retryMillis;
    retryMillis = Math.min(MAX_RETRY_MILLIS, retryMillis * 2);
    schedule(delay);
  }
}
