package io.lamina.testkit.bus;

import io.lamina.spi.InvalidationMessage;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.ObjLongConsumer;
import java.util.function.UnaryOperator;
import org.jspecify.annotations.Nullable;

/**
 * Fault switches for what one node's connection receives: lose (at random, the next few, or everything),
 * duplicate, reorder, corrupt or rewrite messages. Shared by the {@link InMemoryBusNetwork} and by
 * {@link FaultyBus}, which puts them in front of a real transport. Switches may be flipped at any time from any
 * thread.
 */
public final class BusFaults {

  private volatile double dropRate;
  private volatile boolean cut;
  private final ReentrantReadWriteLock cutLock = new ReentrantReadWriteLock();
  private volatile boolean duplicate;
  private volatile boolean reorder;
  private volatile boolean corrupt;
  private volatile @Nullable UnaryOperator<byte[]> tamper;
  private final AtomicInteger dropNext = new AtomicInteger();
  private final AtomicInteger failSubscriptions = new AtomicInteger();
  private volatile long deliveryDelayNanos;
  private final AtomicLong delivered = new AtomicLong();
  private final AtomicLong dropped = new AtomicLong();

  /** Rewrites every message received (to forge sequences, epochs, ...); null stops. */
  public void tamper(@Nullable UnaryOperator<byte[]> rewrite) {
    this.tamper = rewrite;
  }

  /** Moves the sequence number of every received INVALIDATE message {@code delta} ahead; 0 stops. */
  public void forgeSequences(long delta) {
    tamper(delta == 0 ? null : message -> {
      InvalidationMessage m = InvalidationMessage.decode(message);
      if (m.kind() != InvalidationMessage.Kind.INVALIDATE) {
        return message;
      }
      return new InvalidationMessage(m.kind(), m.origin(), m.epoch(), m.sequence() + delta, m.sentAtMicros(),
          m.cache(), m.entries()).encode();
    });
  }

  /**
   * Delays every message this connection receives by {@code delay} after it arrived, in order (a starved
   * delivery thread: everything arrives, late); zero stops. Honoured by the in-memory bus.
   */
  public void delayDelivery(Duration delay) {
    this.deliveryDelayNanos = delay.toNanos();
  }

  /** The delivery delay now, in nanoseconds. */
  public long deliveryDelayNanos() {
    return deliveryDelayNanos;
  }

  /** Makes the next {@code n} subscriptions of this connection fail to be confirmed. */
  public void failNextSubscriptions(int n) {
    failSubscriptions.set(n);
  }

  /** Whether the subscription being made now is one that must fail (counts it down). */
  public boolean subscriptionFails() {
    return failSubscriptions.getAndUpdate(n -> Math.max(0, n - 1)) > 0;
  }

  /** Drops the next {@code n} INVALIDATE messages received (heartbeats and the rest pass). */
  public void dropNextInvalidations(int n) {
    dropNext.set(n);
  }

  /** Drops this fraction of the messages received, at random. */
  public void dropRate(double rate) {
    if (!(rate >= 0 && rate <= 1)) {
      throw new IllegalArgumentException("dropRate must be within [0, 1], was " + rate);
    }
    this.dropRate = rate;
  }

  /**
   * Cuts the connection off: it neither receives nor sends, and its publishes still "succeed". Once a cut
   * returns, no send that began before it is still being handed to the network (see {@link #unlessCut}).
   */
  public void cut(boolean on) {
    cutLock.writeLock().lock();
    try {
      this.cut = on;
    } finally {
      cutLock.writeLock().unlock();
    }
  }

  /**
   * Runs {@code send} unless the connection is cut, and keeps a cut from landing while it runs: a publisher
   * preempted between the check and the hand-over cannot slip a message past a cut that has already returned.
   * Returns whether it ran.
   */
  public boolean unlessCut(Runnable send) {
    cutLock.readLock().lock();
    try {
      if (cut) {
        return false;
      }
      send.run();
      return true;
    } finally {
      cutLock.readLock().unlock();
    }
  }

  public boolean isCut() {
    return cut;
  }

  /** Delivers every received message twice. */
  public void duplicate(boolean on) {
    this.duplicate = on;
  }

  /** Swaps each pair of received messages. */
  public void reorder(boolean on) {
    this.reorder = on;
  }

  /** Flips bytes of every received message. */
  public void corrupt(boolean on) {
    this.corrupt = on;
  }

  /** Messages handed to the listener so far. */
  public long delivered() {
    return delivered.get();
  }

  /** Messages lost on purpose so far. */
  public long dropped() {
    return dropped.get();
  }

  /** A filter for one subscription: it holds the subscription's reordering state. */
  Filter newFilter() {
    return new Filter();
  }

  /** Applies the switches to one subscription's messages; called on its single delivery thread. */
  final class Filter {
    private byte @Nullable [] held;
    private long heldSequence;

    /** Passes {@code received} (with its stream sequence, or -1) on to {@code sink}, or not, or twice. */
    void receive(byte[] received, long streamSequence, ObjLongConsumer<byte[]> sink) {
      if (cut || (isInvalidation(received) && dropNext.getAndUpdate(n -> Math.max(0, n - 1)) > 0)
          || (dropRate > 0 && ThreadLocalRandom.current().nextDouble() < dropRate)) {
        dropped.incrementAndGet();
        return;
      }
      byte[] message = received.clone();
      UnaryOperator<byte[]> rewrite = tamper;
      if (rewrite != null) {
        message = rewrite.apply(message);
      }
      if (corrupt) {
        for (int i = 0; i < message.length; i += 7) {
          message[i] ^= (byte) 0x5A;
        }
      }
      if (reorder) {
        byte[] first = held;
        if (first == null) {
          held = message;
          heldSequence = streamSequence;
          return;
        }
        held = null;
        send(message, streamSequence, sink);
        send(first, heldSequence, sink);
        return;
      }
      send(message, streamSequence, sink);
      if (duplicate) {
        send(message, streamSequence, sink);
      }
    }

    private boolean isInvalidation(byte[] message) {
      return message.length > 3 && message[3] == (byte) InvalidationMessage.Kind.INVALIDATE.ordinal();
    }

    private void send(byte[] message, long streamSequence, ObjLongConsumer<byte[]> sink) {
      delivered.incrementAndGet();
      sink.accept(message, streamSequence);
    }
  }
}
