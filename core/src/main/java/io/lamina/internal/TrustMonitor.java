package io.lamina.internal;

import io.lamina.Ticker;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.function.BooleanSupplier;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.jspecify.annotations.Nullable;

/**
 * Whether a bus node may serve from its local tiers (rules 6, 7, 10), and the flushes that keep that honest. The
 * node trusts its local tiers only while it has heard its own heartbeat within the detection time D since the
 * last gap, and every live peer (the roster in the remote tier, or the peers heard so far) within D. A gap stops
 * trust and flushes; regaining trust flushes once more, so nothing cached while the node may have missed messages
 * is served again.
 *
 * <p>Gaps and evaluations take this monitor's lock, always after a peer's ({@link PeerLedger}).
 */
final class TrustMonitor {

  private static final Logger LOG = Logger.getLogger(BusNode.class.getName());

  private final String namespace;
  private final String self;
  private final long detectionNanos;
  private final Ticker ticker;
  private final BusCounters counters;
  private final PeerLedger ledger;
  private final Membership membership;
  private final DeliveryHorizon horizon;
  private final List<BusMember> members;
  private final BooleanSupplier subscribed;
  private final BooleanSupplier replays;

  private volatile boolean trusted;
  /** Ticker time until which the evidence behind {@link #trusted} holds; a frozen JVM wakes up past it. */
  private volatile long trustedUntilNanos;
  private volatile boolean everTrusted;
  /**
   * Whether the local tiers have held nothing since the last flush: true from a flush until trust returns, since
   * an untrusted node fills nothing. A gap then has nothing to flush, so one lost connection (ours, then each
   * peer's new epoch) costs one flush, not one per message that reveals it.
   */
  private volatile boolean emptySinceFlush = true;
  /** When this node last heard its own heartbeat; meaningless until {@link #heardSelf}. */
  private volatile long selfHeardNanos;
  private volatile boolean heardSelf;
  private volatile long lastGapNanos;

  /**
   * {@code members} are flushed on a gap and on regaining trust; {@code subscribed} says whether the server has
   * confirmed the subscription, {@code replays} whether the channel redelivers what it missed (then regaining
   * trust needs no flush).
   */
  TrustMonitor(String namespace, String self, long detectionNanos, Ticker ticker, BusCounters counters,
      PeerLedger ledger, Membership membership, DeliveryHorizon horizon, List<BusMember> members,
      BooleanSupplier subscribed, BooleanSupplier replays) {
    this.namespace = namespace;
    this.self = self;
    this.detectionNanos = detectionNanos;
    this.ticker = ticker;
    this.counters = counters;
    this.ledger = ledger;
    this.membership = membership;
    this.horizon = horizon;
    this.members = members;
    this.subscribed = subscribed;
    this.replays = replays;
    this.lastGapNanos = ticker.read();
  }

  /**
   * Whether the node is trusted at ticker time {@code now}: the flag, and the evidence for it younger than D. The
   * time check is what keeps a JVM that was frozen (a long GC pause, SIGSTOP) from serving its old L1 before it
   * has re-evaluated.
   */
  boolean trusted(long now) {
    return trusted && trustedUntilNanos - now > 0;
  }

  /** Whether the node has trusted its local tiers at least once (before that it has cached nothing). */
  boolean everTrusted() {
    return everTrusted;
  }

  /** The node's own heartbeat of its current epoch came back: the path works end to end. */
  void heardSelf(long now) {
    selfHeardNanos = now;
    heardSelf = true;
  }

  /** Welcomes strangers that joined the roster, then decides anew. */
  void evaluate() {
    ledger.welcomeMembers(); // before taking this monitor's lock: a peer's lock is always taken first
    decide();
  }

  private synchronized void decide() {
    long now = ticker.read();
    horizon.update(now, ledger.liveAcks().values());
    boolean ok = subscribed.getAsBoolean() && heardSelf && selfHeardNanos - lastGapNanos >= 0
        && now - selfHeardNanos <= detectionNanos;
    long evidence = selfHeardNanos;
    Set<String> live = membership.live();
    PeerLedger.Review review = ledger.review(now, lastGapNanos, live, evidence);
    ok = ok && review.complete();
    evidence = review.evidence();
    if (review.departed()) {
      gap("departed", null);
      ok = false;
    }
    if (live != null) {
      if (!ledger.heardEvery(live, self)) {
        ok = false; // a live member we have never heard: it is cut off from the bus, or we are
      }
    } else if (membership.rostered()) {
      ok = false; // not read yet: we cannot know whom we should be hearing
    }
    boolean was = trusted(ticker.read()); // the flag and its evidence: a lapse (a frozen JVM) counts as not trusted
    if (ok) {
      if (!was && !replays.getAsBoolean() && !emptySinceFlush) {
        flushAll(); // resync: whatever was cached before we stopped trusting, or before a lapse, is never served
        if (trusted) {
          counters.degradedTransitions.increment(); // the lapse itself was a degradation nobody saw happen
        }
      }
      trustedUntilNanos = evidence + detectionNanos;
      trusted = true;
      emptySinceFlush = false;
      everTrusted = true;
    } else if (trusted) {
      trusted = false;
      counters.degradedTransitions.increment();
    }
  }

  /** Something may have been missed: stop trusting and flush every cache of the channel (unless still empty). */
  synchronized void gap(String reason, @Nullable UUID origin) {
    counters.gap(reason);
    lastGapNanos = ticker.read();
    if (trusted) {
      trusted = false;
      counters.degradedTransitions.increment();
    }
    if (!emptySinceFlush) {
      flushAll();
    }
    LOG.log(Level.FINE, () -> "namespace '" + namespace + "': gap (" + reason + ") from " + origin);
  }

  private void flushAll() {
    counters.flushes.increment();
    for (BusMember member : members) {
      member.flushLocal();
    }
    if (!trusted) {
      emptySinceFlush = true;
    }
  }
}
