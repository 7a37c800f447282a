package io.lamina.internal;

import io.lamina.Ticker;
import io.lamina.spi.Roster;
import java.util.List;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Logger;

/**
 * Which server answers as the L2 primary (rule 9). Another server answering (a failover, or a restart) may lack
 * writes the old one acknowledged: that is a gap, every cache writes what it wrote lately again, and L2 hits are
 * refused until every live peer has handled it too ({@link FailoverSettling}).
 */
final class FailoverWatch {

  private static final Logger LOG = Logger.getLogger(BusNode.class.getName());

  private final String namespace;
  private final Ticker ticker;
  private final ScheduledExecutorService scheduler;
  private final List<BusMember> members;
  private final PeerLedger ledger;
  private final TrustMonitor trust;
  /** After an L2 failover, until every live peer has handled it too (rule 9). */
  private final FailoverSettling settling;
  /** The L2 primary's identity as last read; empty until read (or when the tier cannot tell). */
  private volatile String serverIdentity = "";
  private final AtomicBoolean identityAsked = new AtomicBoolean();

  /** {@code scheduler} is the node's sending thread: what a failover queues leaves before the next heartbeat. */
  FailoverWatch(String namespace, long detectionNanos, Ticker ticker, ScheduledExecutorService scheduler,
      List<BusMember> members, PeerLedger ledger, TrustMonitor trust) {
    this.namespace = namespace;
    this.ticker = ticker;
    this.scheduler = scheduler;
    this.members = members;
    this.ledger = ledger;
    this.trust = trust;
    this.settling = new FailoverSettling(namespace,
        Math.max(TimeUnit.SECONDS.toNanos(5), 10 * detectionNanos)); // peers' topology refreshes can differ
  }

  /** The digest of the primary this node has handled: what its heartbeats report. */
  String handled() {
    return settling.handled();
  }

  /**
   * Asks the remote tier which server answers as primary (one question out at a time); another one than before
   * is a gap, and every cache writes what it wrote lately again.
   */
  void check(Roster roster) {
    if (!identityAsked.compareAndSet(false, true)) {
      return; // the previous question is still out
    }
    roster.serverIdentity().whenComplete((now, error) -> {
      identityAsked.set(false);
      if (error != null || now == null || now.isEmpty()) {
        return;
      }
      String before = serverIdentity;
      serverIdentity = now;
      if (before.isEmpty()) {
        settling.first(now);
      } else if (!before.equals(now)) {
        LOG.warning("namespace '" + namespace + "': another L2 server answers as primary (" + LogSafe.quote(before)
            + " -> " + LogSafe.quote(now) + "); flushing, and writing this node's recent L2 writes again");
        try {
          scheduler.execute(() -> {
            trust.gap("failover", null);
            for (BusMember member : members) {
              member.remoteFailedOver();
            }
            settling.failedOver(now, ticker.read()); // reported in heartbeats after the announcements just queued
          });
        } catch (RejectedExecutionException closing) {
          // the node is closing
        }
      }
    });
  }

  /**
   * Whether L2 hits must be refused because this node saw an L2 failover that a live peer has not handled yet
   * (its lost writes are not announced yet). One volatile read when no failover is being settled.
   */
  boolean l2Unsettled() {
    if (!settling.waiting()) {
      return false;
    }
    long now = ticker.read();
    return settling.unsettled(now, ledger.livePrimaries(now));
  }
}
