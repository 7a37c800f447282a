package io.lamina.internal;

import io.lamina.Ticker;
import io.lamina.spi.InvalidationMessage;
import io.lamina.spi.InvalidationMessage.Kind;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BooleanSupplier;
import org.jspecify.annotations.Nullable;

/**
 * What each peer has said so far: its epoch and last sequence, when it was last heard, whether it left, whether it
 * is a stranger (not in the roster yet). Checks each message against its sender's stream and raises the gaps it
 * reveals; forgets peers that left or went silent; tells trust whether every live peer has been heard since the
 * last gap.
 *
 * <p>Locks: a peer's own lock guards its stream; a gap is raised while holding it, so a peer's lock is always
 * taken before the {@link TrustMonitor}'s.
 */
final class PeerLedger {

  /** Where a gap goes: the {@link TrustMonitor}, which stops trusting and flushes. */
  @FunctionalInterface
  interface Gaps {
    void raise(String reason, @Nullable UUID origin);
  }

  /** What a peer has said so far. */
  static final class Peer {
    private long epoch;
    private long lastSequence;
    private volatile long lastHeardNanos;
    /**
     * When a message of this peer was last checked against its sequence (after any gap it revealed was raised):
     * trust does not return while a live peer has not been checked since the last gap, so that messages this node
     * missed while cut off show as a gap while its L1 is still empty, not as a second flush just after.
     */
    private volatile long checkedNanos;
    private boolean left;
    final DeliveryHorizon.PeerAcks acks = new DeliveryHorizon.PeerAcks();
    /**
     * Not in the roster when first heard (guarded by this; volatile for the trust check's unlocked read): a new
     * node whose roster entry this node has not read yet, or a forger. A stranger's invalidations and flushes are
     * applied, but it cannot cost this node its trust or its horizon and its wake-ups are ignored; the first gap
     * in its stream is kept here and raised when it shows up in the roster.
     */
    private volatile boolean stranger;
    private @Nullable String pendingGap;
    /** The L2 primary its last heartbeat reported as handled ({@link FailoverSettling}); empty: cannot tell. */
    private volatile String primary = "";
  }

  /** What the peers say about trust: all heard since the last gap, the oldest evidence, whether one departed. */
  record Review(boolean complete, long evidence, boolean departed) {}

  /** Peers tracked at most; beyond, strangers' messages are applied without being tracked. */
  private static final int MAX_PEERS = 4096;

  private final Map<UUID, Peer> peers = new ConcurrentHashMap<>();
  private final long detectionNanos;
  private final Ticker ticker;
  private final Membership membership;
  private final BooleanSupplier everTrusted;
  private final Gaps gaps;

  PeerLedger(long detectionNanos, Ticker ticker, Membership membership, BooleanSupplier everTrusted, Gaps gaps) {
    this.detectionNanos = detectionNanos;
    this.ticker = ticker;
    this.membership = membership;
    this.everTrusted = everTrusted;
    this.gaps = gaps;
  }

  /** The sender of {@code m}, tracked from now on if new; null for a stranger past {@link #MAX_PEERS}. */
  @Nullable Peer peer(InvalidationMessage m, long now) {
    Peer p = peers.get(m.origin());
    if (p == null) {
      boolean stranger = membership.isStranger(m.origin());
      if (stranger && peers.size() >= MAX_PEERS) {
        return null;
      }
      p = peers.computeIfAbsent(m.origin(), k -> newPeer(m, now, stranger));
    }
    return p;
  }

  /**
   * Checks {@code m} against what {@code p} sent before, raising any gap it reveals, and records it. Returns
   * whether {@code p} is still a stranger (then only what removes entries may be applied).
   */
  boolean check(Peer p, InvalidationMessage m, long now) {
    boolean stranger;
    synchronized (p) {
      if (p.stranger && !membership.isStranger(m.origin())) {
        welcome(m.origin(), p);
      }
      stranger = p.stranger;
      p.lastHeardNanos = now;
      if (m.epoch() != p.epoch) {
        if (!p.left) {
          gap(p, "epoch", m.origin());
        }
        p.epoch = m.epoch();
        p.lastSequence = m.kind() == Kind.INVALIDATE || m.kind() == Kind.FLUSH ? m.sequence() - 1 : m.sequence();
        p.left = false;
      }
      switch (m.kind()) {
        case INVALIDATE, FLUSH -> {
          if (m.sequence() > p.lastSequence + 1) {
            gap(p, "sequence", m.origin());
          }
          p.lastSequence = Math.max(p.lastSequence, m.sequence());
        }
        case HEARTBEAT, WAKE -> {
          if (m.sequence() > p.lastSequence) {
            gap(p, "heartbeat", m.origin());
            p.lastSequence = m.sequence();
          } else if (m.sequence() < p.lastSequence) {
            // A peer sends in order from one thread: a heartbeat behind what we received means the numbers we
            // received were forged, corrupted or reordered, and so may have hidden a loss.
            gap(p, "sequence", m.origin());
            p.lastSequence = m.sequence();
          }
        }
        case GOODBYE -> p.left = true;
      }
      if (m.kind() == Kind.HEARTBEAT) {
        p.primary = m.cache();
      }
      p.checkedNanos = ticker.read();
    }
    return stranger;
  }

  /** Strangers now in the roster become peers. Call before taking the {@link TrustMonitor}'s lock. */
  void welcomeMembers() {
    Set<String> live = membership.live();
    if (live == null) {
      return;
    }
    peers.forEach((origin, p) -> {
      if (p.stranger && live.contains(origin.toString())) {
        welcome(origin, p);
      }
    });
  }

  /** A stranger found in the roster becomes a peer; the first gap it had is raised now. */
  private void welcome(UUID origin, Peer p) {
    String pending;
    synchronized (p) {
      if (!p.stranger) {
        return;
      }
      p.stranger = false;
      pending = p.pendingGap;
      p.pendingGap = null;
    }
    if (pending != null) {
      gaps.raise(pending, origin);
    }
  }

  /** A gap in {@code p}'s stream: raised now for a peer, kept for a stranger until it joins. */
  private void gap(Peer p, String reason, UUID origin) {
    if (p.stranger) {
      if (p.pendingGap == null) {
        p.pendingGap = reason;
      }
    } else {
      gaps.raise(reason, origin);
    }
  }

  private Peer newPeer(InvalidationMessage m, long now, boolean stranger) {
    Peer p = new Peer();
    p.stranger = stranger;
    p.epoch = m.epoch();
    boolean counted = m.kind() == Kind.INVALIDATE || m.kind() == Kind.FLUSH;
    // Until this node first trusts its L1 it caches nothing (fills are refused) and it will not trust before it
    // has heard every live member of the roster: what a peer sent before that predates our empty local tier, so
    // start where the peer is. Afterwards a peer must start its stream where we can see it (sequence 1, or a
    // heartbeat of 0).
    p.lastSequence = everTrusted.getAsBoolean() ? 0 : m.sequence() - (counted ? 1 : 0);
    p.lastHeardNanos = now;
    p.checkedNanos = now; // a peer first heard now has no stream before this to have missed
    return p;
  }

  /** The acknowledgements of the peers that are members and have not left. */
  Map<UUID, DeliveryHorizon.PeerAcks> liveAcks() {
    Map<UUID, DeliveryHorizon.PeerAcks> live = new HashMap<>();
    peers.forEach((peer, p) -> {
      if (!p.left && !p.stranger) {
        live.put(peer, p.acks);
      }
    });
    return live;
  }

  /** The L2 primaries the live peers reported last ({@link FailoverSettling}). */
  List<String> livePrimaries(long now) {
    List<String> live = new ArrayList<>();
    for (Peer p : peers.values()) {
      if (!p.stranger && !p.left && !silent(p, now)) {
        live.add(p.primary);
      }
    }
    return live;
  }

  /**
   * Reviews the peers for trust, forgetting those that left or never joined. Not complete while a member is
   * silent or was not checked since {@code lastGapNanos}; {@code evidence} (this node's own) becomes the oldest
   * time a live peer was heard; departed when a silent peer left the roster without a goodbye (a gap).
   */
  Review review(long now, long lastGapNanos, @Nullable Set<String> live, long evidence) {
    boolean ok = true;
    boolean departed = false;
    for (Map.Entry<UUID, Peer> e : peers.entrySet()) {
      Peer p = e.getValue();
      if (p.stranger) {
        if (live != null && live.contains(e.getKey().toString())) {
          ok = false; // joined after welcomeMembers looked: welcomed on the next evaluation
        } else if (now - p.lastHeardNanos > 3 * detectionNanos) {
          peers.remove(e.getKey(), p); // never joined: nothing it said can have been missed by a member
        }
        continue;
      }
      if (!silent(p, now)) {
        if (!p.left && p.lastHeardNanos - evidence < 0) {
          evidence = p.lastHeardNanos;
        }
        if (!p.left && p.checkedNanos - lastGapNanos < 0) {
          ok = false; // not heard since the gap: what it sent meanwhile is not known to be complete yet
        }
        continue;
      }
      boolean stillMember = live != null ? live.contains(e.getKey().toString())
          : now - p.lastHeardNanos <= 3 * detectionNanos; // no roster: presume a long-silent peer crashed
      if (p.left) {
        if (!stillMember) {
          peers.remove(e.getKey(), p); // said goodbye and is gone: forget it
        }
      } else if (stillMember) {
        ok = false;
      } else if (peers.remove(e.getKey(), p)) {
        departed = true; // gone without a goodbye: what it sent last may never have reached us
      }
    }
    return new Review(ok, evidence, departed);
  }

  /** Whether every member of {@code live} but {@code self} has been heard (a member never heard is cut off). */
  boolean heardEvery(Set<String> live, String self) {
    for (String member : live) {
      if (!member.equals(self) && !peers.containsKey(UUID.fromString(member))) {
        return false;
      }
    }
    return true;
  }

  /** Whether {@code p} has not been heard for longer than the detection time: one rule for trust and settling. */
  private boolean silent(Peer p, long now) {
    return now - p.lastHeardNanos > detectionNanos;
  }
}
