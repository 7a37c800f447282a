package io.lamina.internal;

import io.lamina.BusConfig;
import io.lamina.CoherenceStats;
import io.lamina.Ticker;
import io.lamina.spi.BusChannel;
import io.lamina.spi.BusListener;
import io.lamina.spi.InvalidationBus;
import io.lamina.spi.InvalidationMessage;
import io.lamina.spi.InvalidationMessage.Entry;
import io.lamina.spi.InvalidationMessage.Kind;
import io.lamina.spi.Roster;
import io.lamina.spi.Version;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.jspecify.annotations.Nullable;

/**
 * This node on one namespace's channel (rules 6, 7, 10): it joins the channel, sends heartbeats, applies what other
 * nodes send to the caches of the channel, and answers what those caches ask. Each concern has its own owner:
 * {@link BusOutbox} numbers and batches what this node sends; {@link PeerLedger} checks each peer's stream for gaps
 * against the roster as last read ({@link Membership}); {@link TrustMonitor} decides whether the local tiers can
 * be trusted and flushes them on a gap; {@link DeliveryHorizon} whether the node is within the staleness bound;
 * {@link FailoverWatch} follows the L2 primary; {@link BusSubscription} keeps the channel subscribed;
 * {@link BusCounters} counts.
 *
 * <p>One scheduler thread sends (so sequences leave in order) and evaluates liveness; messages arrive on the
 * transport's thread.
 *
 * <p>Past 300 lines because this is where those owners meet: it wires them (the ledger and the trust monitor
 * need each other), routes each message it receives by origin and kind to them and to the caches, and is the one
 * face the caches call; most methods are a few lines that delegate.
 */
final class BusNode implements BusListener {

  private static final Logger LOG = Logger.getLogger(BusNode.class.getName());

  private final String namespace;
  private final Ticker ticker;
  private final @Nullable Roster roster;
  /** Set once {@link #close} begins: no tick announces this node or renews its membership after its goodbye. */
  private volatile boolean closing;
  /** Completes once every roster renewal sent so far is answered; the leave waits for it (see {@link #close}). */
  private volatile CompletableFuture<?> lastRenewal = CompletableFuture.completedFuture(null);
  private final UUID id = UUID.randomUUID();
  private final String idText = id.toString();
  private final List<BusMember> members = new CopyOnWriteArrayList<>();
  private final ScheduledExecutorService scheduler;
  private final long detectionNanos;
  private long lastStreamSequence; // delivery thread only

  /** Whether this node can prove it is within the staleness bound (rule 12). */
  private final DeliveryHorizon horizon;

  private final BusCounters counters = new BusCounters();
  private final Membership membership;
  private final PeerLedger ledger;
  private final TrustMonitor trust;
  private final BusOutbox outbox;
  private final FailoverWatch failover;
  /** Volatile: the transport holds this node from before the constructor assigns it. */
  private volatile BusSubscription subscription;
  /** The wall clock: only to stamp messages and measure their publish-to-apply lag across nodes. */
  private final InstantSource clock;

  /**
   * The one entry of a flush whose sender could not clear L2 (its clear is being retried): every L2 entry of the
   * cache is suspect until its next flush. A flush without entries says L2 was cleared first; nodes that predate
   * the marker ignore a flush's entries, as they always did.
   */
  static final Entry CLEAR_PENDING = new Entry("", Version.NONE);

  BusNode(InvalidationBus bus, String namespace, BusConfig config, Ticker ticker, @Nullable Roster roster) {
    this(bus, namespace, config, ticker, roster, InstantSource.system());
  }

  BusNode(InvalidationBus bus, String namespace, BusConfig config, Ticker ticker, @Nullable Roster roster,
      InstantSource clock) {
    this.namespace = namespace;
    this.clock = clock;
    this.ticker = ticker;
    this.roster = roster;
    this.detectionNanos = config.detectionTime().toNanos();
    this.horizon = new DeliveryHorizon(config.stalenessBound().toNanos());
    this.membership = new Membership(namespace, roster != null, counters);
    // The ledger and the trust monitor reach each other through this node: each needs the other to exist.
    this.ledger = new PeerLedger(detectionNanos, ticker, membership, this::everTrusted, this::gap);
    this.trust = new TrustMonitor(namespace, idText, detectionNanos, ticker, counters, ledger, membership, horizon,
        members, this::subscribed, () -> channel().replays());
    this.scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "lamina-bus-" + namespace);
      t.setDaemon(true);
      return t;
    });
    this.outbox = new BusOutbox(id, namespace, config, ticker, scheduler, counters, bytes -> channel().publish(bytes),
        () -> channel().publishesWithoutWaiting(), this::nowMicros);
    this.failover = new FailoverWatch(namespace, detectionNanos, ticker, scheduler, members, ledger, trust);
    this.subscription = new BusSubscription(bus, namespace, config, this, scheduler, this::heartbeat);
    subscription.awaitConfirmation();
    long h = config.heartbeatInterval().toNanos();
    scheduler.scheduleAtFixedRate(this::tick, h, h, TimeUnit.NANOSECONDS);
  }

  /** This node's identity on the channel (the origin of what it sends). */
  UUID id() {
    return id;
  }

  void register(BusMember member) {
    members.add(member);
  }

  /** Removes a cache; returns true when it was the last one (the caller then closes this node). */
  boolean unregister(BusMember member) {
    members.remove(member);
    return members.isEmpty();
  }

  /**
   * Whether this node may serve from its local tiers now: trusted, and the evidence for it (its own heartbeat and
   * every live peer heard) younger than D. The time check is what keeps a JVM that was frozen (a long GC pause,
   * SIGSTOP) from serving its old L1 before it has re-evaluated: it costs one ticker read per hit.
   */
  boolean trusted() {
    return trusted(ticker.read());
  }

  boolean trusted(long now) {
    return trust.trusted(now);
  }

  /** Queues invalidations of this node's to be sent (coalesced with others of the same cache). */
  void invalidated(String cache, List<String> ids, List<Version> versions) {
    outbox.invalidated(cache, ids, versions);
  }

  /**
   * Tells the other nodes that this node's load of {@code id} ended, so their waiters re-read L2 now rather than
   * when the lease expires. Sent at once, not batched: a waiter's latency is at stake.
   */
  void wake(String cache, String id) {
    if (subscribed()) {
      scheduler.execute(() -> outbox.publish(Kind.WAKE, cache, List.of(new Entry(id, Version.NONE))));
    }
  }

  /**
   * Queues a whole-cache flush, ordered after this cache's queued invalidations; {@code l2Cleared} false says the
   * L2 clear failed and is being retried (the flush then carries {@link #CLEAR_PENDING}).
   */
  void flushed(String cache, boolean l2Cleared) {
    outbox.flushed(cache, l2Cleared);
  }

  /**
   * A heartbeat is also a probe of the receive paths (rule 12, see {@link DeliveryHorizon}). The peers'
   * acknowledgements are read first and whatever the outbox holds is sent before the heartbeat, so a peer that
   * applies this heartbeat has applied every invalidation this node queued before it applied the acknowledged
   * probe.
   */
  private void heartbeat() {
    List<Entry> acks = DeliveryHorizon.acks(ledger.liveAcks());
    outbox.send();
    outbox.publish(Kind.HEARTBEAT, failover.handled(), horizon.probe(ticker.read(), acks));
  }

  private void updateHorizon(long now) {
    horizon.update(now, ledger.liveAcks().values());
  }

  /**
   * Whether every invalidation of a write that completed more than the staleness bound ago is known to be applied
   * here now; if not, only L1 entries younger than the bound may be served.
   */
  boolean isCurrent(long now) {
    return horizon.isCurrent(now);
  }

  long boundNanos() {
    return horizon.boundNanos();
  }

  /** Every heartbeat interval: announce, renew the roster, re-evaluate trust. */
  private void tick() {
    if (closing) {
      return;
    }
    try {
      if (subscribed()) {
        heartbeat();
      }
      if (roster != null) {
        CompletionStage<Set<String>> renewal = roster.renew(idText, 2 * detectionNanos / 1_000_000);
        CompletableFuture<?> before = lastRenewal; // one slow renewal may still be on its way behind a newer one
        lastRenewal = before.isDone() ? renewal.toCompletableFuture()
            : CompletableFuture.allOf(before, renewal.toCompletableFuture());
        renewal.whenComplete((set, error) -> {
          if (error == null) {
            membership.read(set);
          }
        });
        failover.check(roster);
      }
      trust.evaluate();
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, "namespace '" + namespace + "': bus tick failed", e);
    }
  }

  /**
   * Whether L2 hits must be refused because this node saw an L2 failover that a live peer has not handled yet
   * (its lost writes are not announced yet). One volatile read when no failover is being settled.
   */
  boolean l2Unsettled() {
    return failover.l2Unsettled();
  }

  @Override
  public void onMessage(byte[] bytes, long streamSequence) {
    long last = lastStreamSequence;
    if (last > 0 && streamSequence != last + 1) {
      // Past retention, a reset stream, or a consumer that skipped: replay cannot cover it.
      gap("replay", null);
    }
    lastStreamSequence = streamSequence;
    onMessage(bytes);
  }

  @Override
  public void onMessage(byte[] bytes) {
    InvalidationMessage m;
    try {
      m = InvalidationMessage.decode(bytes);
    } catch (RuntimeException e) {
      counters.malformed.increment();
      return;
    }
    long now = ticker.read();
    if (m.origin().equals(id)) {
      if (m.kind() == Kind.HEARTBEAT) {
        horizon.received(null, idText, m.entries());
      }
      if (m.epoch() == outbox.epoch() && m.kind() == Kind.HEARTBEAT) {
        trust.heardSelf(now); // our own echo proves the path works end to end
        trust.evaluate();
      }
      return; // our own invalidations were applied before the write returned
    }
    PeerLedger.Peer p = ledger.peer(m, now);
    if (p == null) {
      counters.fromStrangers.increment();
      applyFromStranger(m);
      return;
    }
    boolean stranger = ledger.check(p, m, now);
    if (stranger) {
      counters.fromStrangers.increment();
      applyFromStranger(m);
      return;
    }
    apply(m);
    if (m.kind() == Kind.HEARTBEAT) {
      horizon.received(p.acks, idText, m.entries()); // after the peer's earlier messages were applied
      updateHorizon(ticker.read());
    }
  }

  /** What a stranger may do: remove entries (never a staleness risk), nothing else. */
  private void applyFromStranger(InvalidationMessage m) {
    if (m.kind() == Kind.INVALIDATE || m.kind() == Kind.FLUSH) {
      apply(m);
    }
  }

  private void apply(InvalidationMessage m) {
    if (m.kind() == Kind.INVALIDATE) {
      counters.recordLag(nowMicros() - m.sentAtMicros());
      for (BusMember member : members) {
        if (member.cacheName().equals(m.cache())) {
          member.applyRemote(m.origin(), m.entries());
        }
      }
      // Counted once applied: whoever sees the count move may rely on the invalidation having taken effect.
      counters.invalidationsReceived.add(m.entries().size());
    } else if (m.kind() == Kind.WAKE) {
      for (BusMember member : members) {
        if (member.cacheName().equals(m.cache())) {
          member.wake(m.entries());
        }
      }
    } else if (m.kind() == Kind.FLUSH) {
      for (BusMember member : members) {
        if (member.cacheName().equals(m.cache())) {
          member.cleared(m.origin(), !m.entries().contains(CLEAR_PENDING));
        }
      }
    }
  }

  @Override
  public void onGap(String reason) {
    // Our own sends may have been lost or buffered for late delivery too: a new epoch makes peers see a gap.
    outbox.restartNumbering();
    gap("transport", null);
  }

  private void gap(String reason, @Nullable UUID origin) {
    trust.gap(reason, origin);
  }

  private boolean everTrusted() {
    return trust.everTrusted();
  }

  private boolean subscribed() {
    return subscription.confirmed();
  }

  private BusChannel channel() {
    return subscription.channel();
  }

  CoherenceStats stats() {
    return counters.snapshot(this::trusted, horizon, ticker);
  }

  /** Sends what is queued and a goodbye, leaves the roster, unsubscribes. */
  void close() {
    closing = true; // a tick already running finishes before the goodbye below, which runs on the same thread
    try {
      scheduler.submit(() -> {
        outbox.send();
        outbox.publish(Kind.GOODBYE, "", List.of());
      }).get(5, TimeUnit.SECONDS);
    } catch (Exception e) {
      LOG.log(Level.FINE, "namespace '" + namespace + "': goodbye not sent", e);
    }
    Roster r = roster;
    if (r != null) {
      // Only once every renewal has been answered: one still on its way could reach the tier after the leave
      // and keep this closed node a member for another 2 D, holding back the trust of every node that starts.
      CompletionStage<?> renewals = lastRenewal;
      renewals.handle((set, error) -> null).thenCompose(done -> r.leave(idText));
    }
    scheduler.shutdownNow();
    channel().close();
  }

  private long nowMicros() {
    Instant now = clock.instant();
    return now.getEpochSecond() * 1_000_000 + now.getNano() / 1_000;
  }
}
