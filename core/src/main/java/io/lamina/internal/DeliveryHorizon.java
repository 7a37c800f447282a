package io.lamina.internal;

import io.lamina.spi.InvalidationMessage.Entry;
import io.lamina.spi.Version;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.LongAdder;
import org.jspecify.annotations.Nullable;

/**
 * Rule 12, the staleness bound B: whether this node can prove it has applied every invalidation of every write
 * that completed more than B ago, timed on its own clock alone.
 *
 * <p>Each heartbeat is a probe: it carries its number (first entry, empty id) and, for every peer, the number of
 * that peer's latest probe this node has applied (entries named by the peer's id). A peer that applies our probe
 * p has by then queued every invalidation of its writes that completed before we sent p; it sends its queue and
 * then a heartbeat acknowledging p on one ordered connection. So once we apply that acknowledgement we have
 * applied all of them, and our own probe coming back proves the same of our receive path. The horizon is the
 * oldest, over this node and every live peer, of the send time of the latest acknowledged probe; the node is
 * current while {@code now - horizon < B}. A live peer that has acknowledged nothing keeps it behind.
 *
 * <p>Probes are recorded by the sender thread; acknowledgements arrive on the delivery thread. The last 256
 * probes are remembered (25 s at the default heartbeat): an older acknowledgement proves nothing new.
 */
final class DeliveryHorizon {

  private static final int PROBES = 256;

  /** What one peer has acknowledged, and its own latest probe we echo back. */
  static final class PeerAcks {
    /** The peer's latest probe this node applied, 0 for none. */
    volatile long probe;
    /** When we sent the latest of our probes the peer acknowledged; valid once {@link #acked}. */
    volatile long ackedSentNanos;
    volatile boolean acked;
  }

  private final long boundNanos;
  private final AtomicLongArray probeNumbers = new AtomicLongArray(PROBES);
  private final AtomicLongArray probeSentNanos = new AtomicLongArray(PROBES);
  private long probeCount; // sender thread only
  private volatile long selfSentNanos;
  private volatile boolean selfAcked;
  /** The horizon plus B: until then the node is current. Valid only while {@link #current}. */
  private volatile long currentUntilNanos;
  private volatile boolean current;
  private volatile long ageMicros;
  private final AtomicLong worstAgeMicros = new AtomicLong();
  private final LongAdder behindTransitions = new LongAdder();

  DeliveryHorizon(long boundNanos) {
    this.boundNanos = boundNanos;
  }

  long boundNanos() {
    return boundNanos;
  }

  /**
   * The entries of the next heartbeat: its probe number, recorded as sent at {@code now}, then the given
   * acknowledgements (read before the sender drained its queue).
   */
  List<Entry> probe(long now, List<Entry> acks) {
    long number = ++probeCount;
    int slot = (int) (number % PROBES);
    probeSentNanos.set(slot, now);
    probeNumbers.set(slot, number);
    List<Entry> entries = new ArrayList<>(1 + acks.size());
    entries.add(new Entry("", new Version(1, number)));
    entries.addAll(acks);
    return entries;
  }

  /** The acknowledgements to send: each live peer's latest probe applied here. */
  static List<Entry> acks(Map<UUID, PeerAcks> live) {
    List<Entry> acks = new ArrayList<>(live.size());
    live.forEach((peer, a) -> {
      long probe = a.probe;
      if (probe > 0) {
        acks.add(new Entry(peer.toString(), new Version(1, probe)));
      }
    });
    return acks;
  }

  /**
   * Reads a heartbeat's probe and acknowledgements: {@code from} null for our own heartbeat coming back. Entries
   * that are not a probe (a node of an older version sends none) are ignored.
   */
  void received(@Nullable PeerAcks from, String selfId, List<Entry> entries) {
    if (entries.isEmpty() || !entries.get(0).id().isEmpty()) {
      return;
    }
    if (from == null) {
      long sent = sentAt(entries.get(0).version().counter());
      if (sent != -1 && (!selfAcked || sent - selfSentNanos > 0)) {
        selfSentNanos = sent;
        selfAcked = true;
      }
      return;
    }
    from.probe = entries.get(0).version().counter();
    for (int i = 1; i < entries.size(); i++) {
      Entry ack = entries.get(i);
      if (ack.id().equals(selfId)) {
        long sent = sentAt(ack.version().counter());
        if (sent != -1 && (!from.acked || sent - from.ackedSentNanos > 0)) {
          from.ackedSentNanos = sent;
          from.acked = true;
        }
        return;
      }
    }
  }

  /** When our probe {@code number} was sent, or -1 if it is not one of the recent ones. */
  private long sentAt(long number) {
    int slot = (int) (number % PROBES);
    if (number <= 0 || probeNumbers.get(slot) != number) {
      return -1;
    }
    long sent = probeSentNanos.get(slot);
    return probeNumbers.get(slot) == number ? sent : -1;
  }

  /** Recomputes the horizon over our own probes and {@code livePeers}' acknowledgements. */
  synchronized void update(long now, Iterable<PeerAcks> livePeers) {
    boolean ok = selfAcked;
    long horizon = selfSentNanos;
    for (PeerAcks p : livePeers) {
      if (!p.acked) {
        ok = false;
        break;
      }
      if (p.ackedSentNanos - horizon < 0) {
        horizon = p.ackedSentNanos;
      }
    }
    boolean was = isCurrent(now);
    if (ok) {
      long age = Math.max(0, now - horizon) / 1_000;
      ageMicros = age;
      worstAgeMicros.accumulateAndGet(age, Math::max);
      currentUntilNanos = horizon + boundNanos;
    }
    current = ok;
    if (was && !isCurrent(now)) {
      behindTransitions.increment();
    }
  }

  /** Whether every invalidation of a write completed more than B before {@code now} is known to be applied. */
  boolean isCurrent(long now) {
    return current && currentUntilNanos - now > 0;
  }

  long ageMicros() {
    return ageMicros;
  }

  long worstAgeMicros() {
    return worstAgeMicros.get();
  }

  long behindTransitions() {
    return behindTransitions.sum();
  }
}
