package io.lamina.internal;

import io.lamina.BusConfig;
import io.lamina.Ticker;
import io.lamina.spi.InvalidationMessage;
import io.lamina.spi.InvalidationMessage.Entry;
import io.lamina.spi.InvalidationMessage.Kind;
import io.lamina.spi.Version;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import java.util.function.LongSupplier;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.jspecify.annotations.Nullable;

/**
 * What a bus node sends: it queues this node's invalidations and flushes, batches them, and numbers every message
 * in the node's epoch. Queueing takes {@code outLock}. Sending takes {@code sendLock} from draining the queue to
 * the last publish, so sequences leave in order whichever thread sends: the node's scheduler thread, or the writer
 * itself when its invalidation goes alone to a channel that takes it without waiting. A numbered message that may
 * not have left starts a new epoch, so every peer sees a gap.
 */
final class BusOutbox {

  private static final Logger LOG = Logger.getLogger(BusNode.class.getName());

  /** One queued outgoing item: an invalidated id, or a whole-cache flush (entry null). */
  private record Outgoing(String cache, @Nullable Entry entry, boolean clearPending) {
    Outgoing(String cache, Entry entry) {
      this(cache, entry, false);
    }
  }

  private final UUID id;
  private final String namespace;
  private final BusConfig config;
  private final Ticker ticker;
  private final ScheduledExecutorService scheduler;
  private final BusCounters counters;
  private final Function<byte[], CompletionStage<Void>> transport;
  private final BooleanSupplier publishesWithoutWaiting;
  private final LongSupplier wallMicros;
  private final Object outLock = new Object();
  private final List<Outgoing> outgoing = new ArrayList<>();
  /** Held from draining the queue to the last publish, and to number a message or start an epoch. */
  private final ReentrantLock sendLock = new ReentrantLock();
  private volatile long epoch = newEpoch();
  private long sequence; // under sendLock
  private boolean sendScheduled; // under outLock
  private long lastSendNanos = Long.MIN_VALUE / 2; // under outLock

  /**
   * {@code transport} publishes one encoded message on the node's current channel, and
   * {@code publishesWithoutWaiting} says whether it would do so now without waiting for room
   * ({@link io.lamina.spi.BusChannel#publishesWithoutWaiting}); {@code wallMicros} stamps each message with the
   * wall-clock time it was sent.
   */
  BusOutbox(UUID id, String namespace, BusConfig config, Ticker ticker, ScheduledExecutorService scheduler,
      BusCounters counters, Function<byte[], CompletionStage<Void>> transport,
      BooleanSupplier publishesWithoutWaiting, LongSupplier wallMicros) {
    this.id = id;
    this.namespace = namespace;
    this.config = config;
    this.ticker = ticker;
    this.scheduler = scheduler;
    this.counters = counters;
    this.transport = transport;
    this.publishesWithoutWaiting = publishesWithoutWaiting;
    this.wallMicros = wallMicros;
  }

  /** The epoch this node's messages are numbered in now. */
  long epoch() {
    return epoch;
  }

  /** Queues an invalidation of this node's to be sent (coalesced with others of the same cache). */
  void invalidated(String cache, String id, Version version) {
    invalidated(cache, List.of(id), List.of(version));
  }

  /** Queues invalidations (parallel lists) together, so that they leave in one batch. */
  void invalidated(String cache, List<String> ids, List<Version> versions) {
    List<Outgoing> items = new ArrayList<>(ids.size());
    for (int i = 0; i < ids.size(); i++) {
      items.add(new Outgoing(cache, new Entry(ids.get(i), versions.get(i))));
    }
    enqueue(items);
  }

  /**
   * Queues a whole-cache flush, ordered after this cache's queued invalidations; {@code l2Cleared} false says the
   * L2 clear failed and is being retried (the flush then carries {@link BusNode#CLEAR_PENDING}).
   */
  void flushed(String cache, boolean l2Cleared) {
    enqueue(List.of(new Outgoing(cache, null, !l2Cleared)));
  }

  /**
   * Queues items. When nothing was sent within the last batch delay, they go at once (a lone write pays no
   * delay); otherwise they wait up to the batch delay for company, so a burst or a steady stream leaves in
   * batches. A full batch goes at once either way.
   */
  private void enqueue(List<Outgoing> items) {
    boolean now = false;
    synchronized (outLock) {
      outgoing.addAll(items);
      if (!sendScheduled) {
        sendScheduled = true;
        long delay = config.batchDelay().toNanos();
        if (ticker.read() - lastSendNanos > delay) {
          now = true;
        } else {
          scheduler.schedule(this::send, delay, TimeUnit.NANOSECONDS);
        }
      } else if (outgoing.size() >= config.batchSize()) {
        scheduler.execute(this::send);
      }
    }
    if (now) {
      sendNow();
    }
  }

  /**
   * Sends the queue at once: on this thread when the channel takes a message without waiting and no other send is
   * under way, which spares the sender thread's wake-up (most of a lone invalidation's latency on a busy machine);
   * otherwise on the scheduler thread, as a writer must never wait for room in the transport.
   */
  private void sendNow() {
    if (!mayPublishHere() || !sendLock.tryLock()) {
      scheduler.execute(this::send);
      return;
    }
    try {
      send();
    } catch (RuntimeException e) {
      // What was drained may not have left: peers must see a gap. What was not is sent by the scheduler.
      publishFailed(e);
      scheduler.execute(this::send);
    } finally {
      sendLock.unlock();
    }
  }

  /** The channel's answer to whether it publishes without waiting; one that throws counts as no. */
  private boolean mayPublishHere() {
    try {
      return publishesWithoutWaiting.getAsBoolean();
    } catch (RuntimeException e) {
      LOG.log(Level.FINE, "namespace '" + namespace + "': the channel could not say whether it would wait", e);
      return false;
    }
  }

  /** Drains the queue into messages: runs of one cache's ids become batches; flushes stand alone. */
  void send() {
    sendLock.lock();
    try {
      sendQueued();
    } finally {
      sendLock.unlock();
    }
  }

  private void sendQueued() {
    List<Outgoing> items;
    synchronized (outLock) {
      items = new ArrayList<>(outgoing);
      outgoing.clear();
      sendScheduled = false;
      lastSendNanos = ticker.read();
    }
    int i = 0;
    while (i < items.size()) {
      Outgoing first = items.get(i);
      if (first.entry() == null) {
        publish(Kind.FLUSH, first.cache(), first.clearPending() ? List.of(BusNode.CLEAR_PENDING) : List.of());
        i++;
        continue;
      }
      List<Entry> batch = new ArrayList<>();
      while (i < items.size() && items.get(i).entry() != null && items.get(i).cache().equals(first.cache())
          && batch.size() < config.batchSize()) {
        batch.add(items.get(i).entry());
        i++;
      }
      sendBatch(first.cache(), batch);
    }
  }

  /** Sends a batch, halving it while it encodes past the message size limit (ids can be long). */
  private void sendBatch(String cache, List<Entry> batch) {
    try {
      publish(Kind.INVALIDATE, cache, batch);
      counters.invalidationsSent.add(batch.size());
      counters.batchesSent.increment();
      counters.largestBatch.accumulateAndGet(batch.size(), Math::max);
    } catch (IllegalArgumentException tooLarge) {
      if (batch.size() == 1) {
        publishFailed(tooLarge); // one id past the limit: peers cannot be told, so they must see a gap
        return;
      }
      sendBatch(cache, batch.subList(0, batch.size() / 2));
      sendBatch(cache, batch.subList(batch.size() / 2, batch.size()));
    }
  }

  /**
   * Publishes one message now, numbered when it is an invalidation or a flush (heartbeats and wake-ups carry the
   * last number).
   */
  void publish(Kind kind, String cache, List<Entry> entries) {
    sendLock.lock();
    try {
      publishNumbered(kind, cache, entries);
    } finally {
      sendLock.unlock();
    }
  }

  private void publishNumbered(Kind kind, String cache, List<Entry> entries) {
    boolean counted = kind == Kind.INVALIDATE || kind == Kind.FLUSH;
    // Encode before taking the number: a message too large to encode must leave no hole.
    byte[] bytes = new InvalidationMessage(kind, id, epoch, counted ? sequence + 1 : sequence,
        wallMicros.getAsLong(), cache, entries).encode();
    if (counted) {
      sequence++;
    }
    counters.messagesSent.increment();
    transport.apply(bytes).whenComplete((ok, error) -> {
      if (error != null && counted) {
        publishFailed(error);
      }
      // A lost heartbeat needs nothing here: peers notice the silence through liveness.
    });
  }

  /**
   * A numbered message may not have left: start a new epoch, so every peer sees a gap and flushes (rule 6).
   * This node's own L1 is not affected: it is others who missed something.
   */
  private void publishFailed(Throwable error) {
    restartNumbering();
    counters.gap("publish");
    LOG.log(Level.FINE, "namespace '" + namespace + "': publish failed; new epoch", error);
  }

  /** Starts a new epoch (on the scheduler thread), so peers see a gap in what this node sends next. */
  void restartNumbering() {
    scheduler.execute(() -> {
      sendLock.lock();
      try {
        epoch = newEpoch();
        sequence = 0;
      } finally {
        sendLock.unlock();
      }
    });
  }

  private static long newEpoch() {
    return ThreadLocalRandom.current().nextLong();
  }
}
