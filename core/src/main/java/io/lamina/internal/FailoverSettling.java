package io.lamina.internal;

import java.util.Collection;
import java.util.concurrent.atomic.AtomicReference;
import java.util.logging.Logger;

/**
 * After an L2 failover (design rule 9), until every live peer has written its own recent L2 writes again.
 *
 * <p>Each node detects a failover on its own, up to a topology refresh apart, and only then re-tombstones what it
 * wrote lately and announces those ids as unrepaired. A node that detected early and read the new primary before
 * a slower writer had done so could take a write's lost tombstone for a fresh entry, and keep it. So a node that
 * saw a failover refuses every L2 hit (reads load from the source and store nothing) until each live peer reports
 * the same primary in its heartbeats. A peer reports it only after queueing its announcements, and a heartbeat
 * leaves after what was queued before it, so by then they have arrived.
 *
 * <p>A peer that never reports the new primary (it reads another endpoint, or runs a version that does not say)
 * is waited for {@code timeoutNanos} at most; then a warning names it and L2 is trusted again.
 */
final class FailoverSettling {

  private static final Logger LOG = Logger.getLogger(FailoverSettling.class.getName());

  /** What this node has handled, and whether it still waits for its peers to catch up. */
  private record State(String handled, boolean waiting, long sinceNanos) {}

  private final String namespace;
  private final long timeoutNanos;
  private final AtomicReference<State> state = new AtomicReference<>(new State("", false, 0));

  FailoverSettling(String namespace, long timeoutNanos) {
    this.namespace = namespace;
    this.timeoutNanos = timeoutNanos;
  }

  /**
   * A short, stable digest of a primary's identity, as it travels in heartbeats (every node computes the same
   * one from the same identity).
   */
  static String digest(String identity) {
    return identity.isEmpty() ? "" : Integer.toHexString(identity.hashCode());
  }

  /** The digest of the primary this node has handled: what its heartbeats report. Empty until first read. */
  String handled() {
    return state.get().handled;
  }

  /** The first identity this node read: nothing to handle. */
  void first(String identity) {
    State s = state.get();
    if (s.handled.isEmpty() && !s.waiting) {
      state.compareAndSet(s, new State(digest(identity), false, 0));
    }
  }

  /** This node saw another primary and has queued its own repairs: wait for the peers from now on. */
  void failedOver(String identity, long nowNanos) {
    state.set(new State(digest(identity), true, nowNanos));
  }

  /**
   * Whether L2 hits must still be refused: this node saw a failover and a live peer still reports another
   * primary. {@code peers} are the digests the live peers reported last (empty: cannot tell, not waited for).
   * Cheap when no failover is being settled.
   */
  boolean unsettled(long nowNanos, Collection<String> peers) {
    State s = state.get();
    if (!s.waiting) {
      return false;
    }
    int behind = 0;
    for (String theirs : peers) {
      if (!theirs.isEmpty() && !theirs.equals(s.handled)) {
        behind++;
      }
    }
    if (behind == 0) {
      state.compareAndSet(s, new State(s.handled, false, 0));
      return false;
    }
    if (nowNanos - s.sinceNanos > timeoutNanos) {
      if (state.compareAndSet(s, new State(s.handled, false, 0))) {
        LOG.warning("namespace '" + namespace + "': " + behind + " live peer(s) still report another L2 primary "
            + (timeoutNanos / 1_000_000) + " ms after this node saw a failover; trusting L2 entries again without"
            + " them (their lost writes may be served until they detect it)");
      }
      return false;
    }
    return true;
  }

  /** Whether this node is waiting for its peers after a failover: the one read on every L2 hit otherwise. */
  boolean waiting() {
    return state.get().waiting;
  }
}
