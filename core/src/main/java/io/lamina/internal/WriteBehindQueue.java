package io.lamina.internal;

import io.lamina.CacheWriter;
import io.lamina.WriteBehindConfig;
import io.lamina.WriteBehindQueueFullException;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.jspecify.annotations.Nullable;

/**
 * The write-behind queue: bounded, coalescing per key, flushed in batches by one thread, retried with backoff.
 *
 * <p>Ordering: one flusher writes one batch at a time, so two writes of a key never reach the source
 * concurrently or out of order. A retry drops the keys that were written again meanwhile: only the newest value
 * of a key reaches the source, and no retry lands after a newer write. A batch that fails on every attempt is
 * reported key by key, never dropped silently.
 */
final class WriteBehindQueue<K, V> {

  private static final Logger LOG = Logger.getLogger(WriteBehindQueue.class.getName());

  /** One queued write; identity matters: a newer write of the key is a new object. */
  private static final class Pending<V> {
    final V value;

    Pending(V value) {
      this.value = value;
    }
  }

  private final String cacheName;
  private final CacheWriter<K, V> writer;
  private final WriteBehindConfig config;
  private final Consumer<K> afterCommit;
  private final FailureSink<K> onFailure;
  private final Counters counters;
  private final Object lock = new Object();
  private final LinkedHashMap<K, Pending<V>> queued = new LinkedHashMap<>();
  /** The newest write of each key not yet committed, queued or in flight: what this node reads. */
  private final ConcurrentHashMap<K, Pending<V>> visible = new ConcurrentHashMap<>();
  private final Thread flusher;
  private int inFlight;
  private boolean closing;

  /** Where writes given up after every attempt are reported. */
  interface FailureSink<K> {
    void failed(K key, Throwable error);
  }

  WriteBehindQueue(String cacheName, CacheWriter<K, V> writer, WriteBehindConfig config, Consumer<K> afterCommit,
      FailureSink<K> onFailure, Counters counters) {
    this.cacheName = cacheName;
    this.writer = writer;
    this.config = config;
    this.afterCommit = afterCommit;
    this.onFailure = onFailure;
    this.counters = counters;
    this.flusher = new Thread(this::run, "lamina-write-behind-" + cacheName);
    flusher.setDaemon(true);
    flusher.start();
  }

  /**
   * Queues a write, replacing a queued value of the same key.
   *
   * @throws WriteBehindQueueFullException if the key is not queued and the queue is full
   * @throws IllegalStateException if the queue is closed
   */
  void enqueue(K key, V value) {
    synchronized (lock) {
      if (closing) {
        throw new IllegalStateException("cache '" + cacheName + "' is closed");
      }
      if (!queued.containsKey(key) && queued.size() + inFlight >= config.queueCapacity()) {
        throw new WriteBehindQueueFullException("cache '" + cacheName + "': write-behind queue is full ("
            + config.queueCapacity() + " keys); the write was not accepted");
      }
      Pending<V> p = new Pending<>(value);
      queued.remove(key); // re-queue at the tail: a rewritten key waits its turn again
      queued.put(key, p);
      visible.put(key, p);
      lock.notifyAll();
    }
  }

  /** The newest queued or in-flight value of {@code key}, or null: read-your-writes on this node. */
  @Nullable V pendingValue(K key) {
    Pending<V> p = visible.get(key);
    return p == null ? null : p.value;
  }

  /** Keys queued or being written. */
  int pending() {
    synchronized (lock) {
      return queued.size() + inFlight;
    }
  }

  /** Writes everything queued (retrying as configured) and stops the flusher, waiting at most the close timeout. */
  void close() {
    synchronized (lock) {
      closing = true;
      lock.notifyAll();
    }
    try {
      flusher.join(config.closeTimeout().toMillis());
      if (flusher.isAlive()) {
        flusher.interrupt();
        flusher.join(1_000); // lets it report its in-flight batch; a writer deaf to interrupts is left behind
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      flusher.interrupt();
    }
    synchronized (lock) {
      for (Map.Entry<K, Pending<V>> e : queued.entrySet()) {
        giveUp(e.getKey(), e.getValue(), new IllegalStateException(
            "cache '" + cacheName + "' closed before this write-behind write could be written"));
      }
      queued.clear();
    }
  }

  private void run() {
    try {
      for (;;) {
        Map<K, Pending<V>> batch = nextBatch();
        if (batch == null) {
          return;
        }
        writeWithRetries(batch);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Waits for writes, gathers up to a batch for the flush interval (not when closing), takes them in flight. */
  private @Nullable Map<K, Pending<V>> nextBatch() throws InterruptedException {
    synchronized (lock) {
      while (queued.isEmpty()) {
        if (closing) {
          return null;
        }
        lock.wait();
      }
      // The system clock, not the cache's ticker: this bounds Object.wait, which waits in real time.
      long deadline = System.nanoTime() + config.flushInterval().toNanos();
      while (!closing && queued.size() < config.batchSize()) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          break;
        }
        lock.wait(Math.max(1, left / 1_000_000));
      }
      Map<K, Pending<V>> batch = new LinkedHashMap<>();
      for (Iterator<Map.Entry<K, Pending<V>>> it = queued.entrySet().iterator();
          it.hasNext() && batch.size() < config.batchSize(); ) {
        Map.Entry<K, Pending<V>> e = it.next();
        batch.put(e.getKey(), e.getValue());
        it.remove();
      }
      inFlight = batch.size();
      return batch;
    }
  }

  private void writeWithRetries(Map<K, Pending<V>> batch) throws InterruptedException {
    long backoff = config.retryBackoff().toMillis();
    for (int attempt = 1; ; attempt++) {
      Map<K, V> values = new LinkedHashMap<>();
      batch.forEach((k, p) -> values.put(k, p.value));
      try {
        writer.writeAll(values);
        committed(batch);
        return;
      } catch (Throwable e) {
        // Errors too (a writer's missing class, an assertion): the flusher must outlive them, or its batch stays
        // in flight forever and the queue fills up.
        if (e instanceof InterruptedException || Thread.currentThread().isInterrupted()) {
          // close() gave up waiting: report this batch and stop, rather than block on the writer again.
          synchronized (lock) {
            batch.forEach((k, p) -> giveUp(k, p, e));
            inFlight = 0;
          }
          throw new InterruptedException("write-behind flusher of cache '" + cacheName + "' stopped");
        }
        if (attempt >= config.maxAttempts()) {
          synchronized (lock) {
            batch.forEach((k, p) -> giveUp(k, p, e));
            inFlight = 0;
          }
          return;
        }
        LOG.log(Level.FINE, "cache '" + cacheName + "': write-behind attempt " + attempt + " failed", e);
        sleep(backoff);
        backoff = Math.min(backoff * 2, config.maxRetryBackoff().toMillis());
        dropSuperseded(batch);
        if (batch.isEmpty()) {
          return;
        }
      }
    }
  }

  /** Keys written again while this batch waited to retry: their newer write is queued, so skip the older one. */
  private void dropSuperseded(Map<K, Pending<V>> batch) {
    synchronized (lock) {
      batch.keySet().removeIf(queued::containsKey);
      inFlight = batch.size();
    }
  }

  private void committed(Map<K, Pending<V>> batch) {
    counters.writeBehindWritten.add(batch.size());
    for (Map.Entry<K, Pending<V>> e : batch.entrySet()) {
      try {
        afterCommit.accept(e.getKey()); // tombstone: fills that read the source before the commit cannot stay
      } catch (RuntimeException failed) {
        LOG.log(Level.WARNING, "cache '" + cacheName + "': after the write-behind commit of key '" + e.getKey()
            + "', invalidating it failed", failed);
      }
      visible.remove(e.getKey(), e.getValue());
    }
    synchronized (lock) {
      inFlight = 0;
    }
  }

  private void giveUp(K key, Pending<V> p, Throwable error) {
    counters.writeBehindFailed.increment();
    visible.remove(key, p);
    LOG.log(Level.WARNING, "cache '" + cacheName + "': write-behind write of key '" + key
        + "' failed on every attempt and was given up", error);
    onFailure.failed(key, error);
  }

  private void sleep(long millis) throws InterruptedException {
    synchronized (lock) {
      // Wakes early on close, so a closing cache does not wait out a long backoff before its last attempt.
      long deadline = System.nanoTime() + millis * 1_000_000; // real time: it bounds Object.wait
      while (!closing) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          return;
        }
        lock.wait(Math.max(1, left / 1_000_000));
      }
    }
  }
}
