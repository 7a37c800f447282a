package io.lamina.internal;

import io.lamina.Ticker;
import io.lamina.TierUnavailableException;
import io.lamina.TieredCacheConfig;
import io.lamina.TieredCacheListener;
import io.lamina.spi.InvalidationBus;
import io.lamina.spi.InvalidationMessage;
import io.lamina.spi.KeyCodec;
import io.lamina.spi.KeyFilter;
import io.lamina.spi.LocalEntry;
import io.lamina.spi.LocalTier;
import io.lamina.spi.RemoteEntry;
import io.lamina.spi.RemoteStore;
import io.lamina.spi.RemoteStoreSpec;
import io.lamina.spi.RemoteTier;
import io.lamina.spi.Roster;
import io.lamina.spi.ValueCodec;
import io.lamina.spi.Version;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.jspecify.annotations.Nullable;

/**
 * What one cache's read and write paths share, and this cache as a member of the bus. Each concern has its own
 * owner, reached from here: the way to L2 is the {@link RemoteGateway}, how long entries live the
 * {@link EntryPolicy}, loads run through the {@link LoaderRunner}, every store into L1 goes through the
 * {@link GuardedFills}, the key filter is the {@link KeyFilterGate} and waits for other nodes' loads the
 * {@link WakeUps}.
 *
 * <p>Longer than most files for two reasons it keeps together: it wires those owners (the constructor), and it
 * is where the bus meets failed-write repair (rule 13: ids marked unrepaired here and on every node that hears
 * it, the repair's landing announced, a failover's recent writes written again), since both act on the same
 * L1, the same unrepaired ids and the same journal.
 */
final class CacheContext<K, V> implements BusMember {

  private static final Logger LOG = Logger.getLogger(CacheContext.class.getName());
  /** Invalidation records kept per cache before old ones are pruned (see {@link InvalidationRecords}). */
  private static final int RECORD_CAPACITY = 100_000;
  /** Failed L2 writes queued for repair before the whole cache is cleared instead (see {@link RemoteRepairs}). */
  static final int REPAIR_CAPACITY = 10_000;

  final String name;
  final TieredCacheConfig config;
  final LocalTier<K> local;
  final @Nullable RemoteStore remote;
  final String remoteName;
  final KeyCodec<K> keyCodec;
  final @Nullable ValueCodec<V> valueCodec;
  final TieredCacheListener listener;
  final Ticker ticker;
  /** What this node wrote to L2 lately, written again after a failover (rule 9). */
  private final WriteJournal journal;
  final Executor executor;
  final Counters counters = new Counters();
  /** Generation, reservations and every store into L1, each checked against recent invalidations (rule 3). */
  final GuardedFills<K, V> fills;
  final Guard guard;
  /** Loaders under their time limit, breaker and bulkhead. */
  final LoaderRunner<K, V> loads;
  /** Bounded L2 calls, encoding and decoding, corrupt-entry repair. */
  final RemoteGateway<V> l2;
  /** The key filter reads ask and writes record in (penetration protection). */
  final KeyFilterGate keyFilter;
  /** This node's heavy hitters, or null when hot-key tracking is off. */
  final @Nullable HotKeySketch hotKeys;
  /** Waiters for some node's load, by id (distributed single-flight). */
  final WakeUps wakeUps;

  /** The waits derived from the configuration: loads, L2 calls, joins, reservations, records. */
  final Timeouts timeouts;
  /** Entry lifetimes, source versions and values' own times to live. */
  final EntryPolicy<V> policy;

  private final @Nullable InvalidationBus bus;
  final @Nullable BusNode busNode;
  /** Who this node is in {@link #unrepaired}: its bus identity, or a random one without a bus. */
  private final UUID self;
  /** Ids whose L2 entry may be older than the source, because someone's write of them did not land (rule 13). */
  final UnrepairedIds unrepaired;
  /** This node's failed L2 writes, retried until they land; null without a remote tier. */
  final @Nullable RemoteRepairs<K> repairs;

  CacheContext(CacheSetup<K, V> setup) {
    name = setup.name();
    config = setup.config();
    ticker = setup.ticker();
    journal = new WriteJournal(ticker, WriteJournal.WINDOW_NANOS, REPAIR_CAPACITY);
    executor = setup.executor();
    // The local tier's housekeeping (eviction, expiry) that reads ask for runs often under read load: on the common
    // fork-join pool by default, which hands it over without allocating, rather than on the elastic pool meant for
    // blocking work (whose every hand-off allocates a queue node and may start a thread). Caffeine's tier runs what
    // a store asks for on the storing thread.
    Executor housekeeping = executor == DefaultExecutor.INSTANCE ? ForkJoinPool.commonPool()
        : executor;
    local = setup.localProvider().create(name, config.l1MaximumSize(), ticker, housekeeping);
    RemoteStoreSpec spec = new RemoteStoreSpec(config.namespace(), name, config.schemaVersion(),
        config.previousSchemaVersions(), config.tombstoneTtl());
    remote = setup.remote() == null ? null : setup.remote().open(spec);
    remoteName = setup.remote() == null ? "none" : setup.remote().name();
    keyCodec = setup.keyCodec();
    valueCodec = setup.valueCodec();
    policy = new EntryPolicy<>(name, config, setup.versionOf(), setup.ttlOf());
    listener = setup.listener();
    guard = new Guard(name, config.protection(), counters, ticker);
    timeouts = Timeouts.of(config);
    l2 = new RemoteGateway<>(name, remoteName, config, remote, valueCodec, guard, counters, listener, timeouts,
        Ticker.system());
    keyFilter = new KeyFilterGate(name, setup.keyFilter(), counters, listener);
    wakeUps = new WakeUps(name, config.protection().distributedSingleFlight());
    int k = config.protection().hotKeys();
    hotKeys = k == 0 ? null : new HotKeySketch(k, config.protection().hotKeyWindow(), 6,
        HotKeySketch.DEFAULT_SAMPLE_EVERY, HotKeySketch.DEFAULT_MIN_SHARE, HotKeySketch.DEFAULT_MIN_PER_SECOND,
        ticker, executor);
    loads = new LoaderRunner<>(this, name, config, ticker, executor, guard, counters, listener, policy, this::id,
        timeouts);
    InvalidationRecords<K> records = new InvalidationRecords<>(ticker, timeouts.records(), RECORD_CAPACITY);
    fills = new GuardedFills<>(local, records, policy, counters, ticker, this::trusted, hotKeys, keyCodec::toId,
        timeouts.reservation());
    // Suspect for as long as the old L2 entry can live; a repair ends it much sooner.
    unrepaired = new UnrepairedIds(ticker, config.l2Ttl().toNanos(), RECORD_CAPACITY);
    repairs = remote == null ? null : new RemoteRepairs<>(name, REPAIR_CAPACITY, DefaultExecutor.SCHEDULER,
        executor, new RemoteRepairs.RemoteCalls() {
          @Override
          public List<Version> fenceAll(List<String> ids, long[] fences) {
            return l2.await("repair.fenceAll", () -> l2.remote().fenceAll(ids, fences), false);
          }

          @Override
          public void clear() {
            l2.clear();
          }
        }, new RemoteRepairs.Landing<K>() {
          @Override
          public void tombstoned(K key, String id, Version version) {
            counters.l2Invalidations.increment();
            fills.invalidate(key, version);
            unrepaired.repaired(id, self);
            published(id, version); // tells every node that this id's L2 entry can be trusted again
          }

          @Override
          public void stillUnrepaired(String id) {
            published(id, Version.NONE); // a node that missed the first announcement learns it now
          }

          @Override
          public void cleared() {
            fills.flush();
            unrepaired.repairedAll(self);
            publishedFlush(true);
          }
        });
    bus = setup.bus();
    busNode = bus == null ? null
        : BusNodes.join(bus, config.namespace(), setup.busConfig(), ticker, roster(setup), this);
    self = busNode != null ? busNode.id() : UUID.randomUUID();
    wakeUps.joined(busNode);
  }

  /**
   * A write changed the source but its tombstone (or versioned put) did not reach L2: drop the key here, refuse
   * its L2 entry until the repair lands, queue the repair, and tell the other nodes (who refuse it too).
   */
  void remoteWriteFailed(K key, String id) {
    remoteWriteFailed(key, id, RemoteStore.NO_FENCE);
  }

  /**
   * {@link #remoteWriteFailed(Object, String)} for a versioned put of {@code sourceVersion}: the repair fences
   * it, so the put cannot land after the repair if its client sends it again.
   */
  void remoteWriteFailed(K key, String id, long sourceVersion) {
    fills.invalidate(key, Version.NONE);
    unrepaired.mark(id, self);
    Objects.requireNonNull(repairs).tombstone(key, id, sourceVersion);
    published(id, Version.NONE);
  }

  /**
   * Whether an L2 entry read for {@code id} must be treated as a miss that nobody may fill: a write of it did not
   * land yet, or L2 failed over and a peer has not written its recent writes again yet ({@link
   * FailoverSettling}), so it may be older than the source.
   */
  boolean refusedFromL2(String id, RemoteEntry entry) {
    if (entry.isHit() && (unrepaired.suspect(id) || busNode != null && busNode.l2Unsettled())) {
      counters.unrepairedReads.increment();
      return true;
    }
    return false;
  }

  private static @Nullable Roster roster(CacheSetup<?, ?> setup) {
    RemoteTier tier = setup.remote();
    if (tier == null) {
      return null;
    }
    try {
      return tier.roster(setup.config().namespace());
    } catch (UnsupportedOperationException e) {
      return null;
    }
  }

  /** Whether L1 may be served and filled now: always without a bus; with one, while the bus node trusts it. */
  boolean trusted() {
    BusNode node = busNode;
    return node == null || node.trusted();
  }

  /**
   * Whether {@code entry} may be served. Trusted and current (rule 12: every invalidation of a write completed
   * more than the staleness bound ago is known to be applied): yes. Trusted but behind: only if it was reserved
   * less than the bound ago, since only writes completed after its L2 read could have made it stale. Degraded:
   * only if younger than the degraded max age δ.
   */
  boolean servable(ValueEntry entry) {
    BusNode node = busNode;
    if (node == null) {
      return true;
    }
    long now = ticker.read();
    if (node.trusted(now)) {
      return node.isCurrent(now) || now - (entry.storedAtNanos - entry.loadNanos(policy.entryTimeUnit))
          <= node.boundNanos();
    }
    return timeouts.degradedMaxAge() > 0 && now - entry.storedAtNanos <= timeouts.degradedMaxAge();
  }

  /** Tells other nodes that this node changed {@code id} (after L2 and this node's L1 were updated). */
  void published(String id, Version version) {
    publishedAll(List.of(id), List.of(version));
  }

  /** {@link #published} of several ids at once: queued together, so they leave in one batch. */
  void publishedAll(List<String> ids, List<Version> versions) {
    if (busNode != null) {
      ids.forEach(journal::wrote);
      busNode.invalidated(name, ids, versions);
    }
  }

  /**
   * This node's whole-cache L2 clear failed (and is queued for retry): every L2 entry of the cache is suspect here
   * until the clear lands. Called before L1 is flushed, so no read refills L1 from the old L2.
   */
  void remoteClearFailed() {
    unrepaired.suspectAll(self);
  }

  /**
   * Tells other nodes that this node flushed the whole cache, and whether it cleared L2 first: when it could not,
   * every L2 entry of the cache is suspect, here and on every node that hears it, until the retried clear lands
   * and is announced (rule 13 for the whole cache).
   */
  void publishedFlush(boolean l2Cleared) {
    if (busNode != null) {
      journal.cleared();
      busNode.flushed(name, l2Cleared);
    }
  }

  @Override
  public void remoteFailedOver() {
    if (repairs == null) {
      return;
    }
    List<String> ids = journal.recent();
    if (ids == null) {
      repairs.clear(); // too many, or a clear among them: clear the whole cache again, announced as a flush
      return;
    }
    for (String id : ids) {
      K key;
      try {
        key = keyCodec.fromId(id);
      } catch (RuntimeException unreadable) {
        repairs.clear();
        return;
      }
      remoteWriteFailed(key, id);
    }
  }

  @Override
  public String cacheName() {
    return name;
  }

  @Override
  public void cleared(UUID origin, boolean l2Cleared) {
    if (l2Cleared) {
      flushLocal();
      unrepaired.repairedAll(origin); // its clear reached L2 before it told us: nothing of it is left unrepaired
    } else {
      unrepaired.suspectAll(origin); // before the flush: a read after it must not take the old L2 as fresh
      flushLocal();
    }
  }

  /** At most one warning per 10 s about ids from the bus that are not keys of this cache. */
  private final LogSafe.Gate unreadableIdLog = new LogSafe.Gate(TimeUnit.SECONDS.toNanos(10));

  @Override
  public void applyRemote(UUID origin, List<InvalidationMessage.Entry> entries) {
    for (InvalidationMessage.Entry e : entries) {
      if (e.version().equals(Version.NONE)) {
        unrepaired.mark(e.id(), origin);
      } else {
        unrepaired.repaired(e.id(), origin);
      }
      K key;
      try {
        key = keyCodec.fromId(e.id());
      } catch (RuntimeException unreadable) {
        long dropped = unreadableIdLog.tryPass(ticker.read());
        if (dropped >= 0) {
          LOG.log(Level.WARNING, "cache '" + name + "': cannot turn id " + LogSafe.quote(e.id())
              + " back into a key (" + unreadable.getClass().getName() + "); flushing the local tier instead"
              + (dropped > 0 ? " (" + dropped + " more such ids since the last report)" : ""));
        }
        flushLocal();
        return;
      }
      fills.invalidate(key, e.version());
    }
  }

  @Override
  public void wake(List<InvalidationMessage.Entry> entries) {
    wakeUps.woken(entries);
  }

  @Override
  public void flushLocal() {
    fills.flush();
  }

  /** Leaves the bus (the last cache of a node says goodbye for it). */
  void leaveBus() {
    if (bus != null && busNode != null) {
      BusNodes.leave(bus, config.namespace(), busNode, this);
    }
  }

  /** The canonical id of a key, checked against {@link TieredCacheConfig#maxKeyBytes()}. */
  String id(K key) {
    String id = Objects.requireNonNull(keyCodec.toId(key), "keyCodec returned a null id");
    long bytes = utf8Length(id);
    if (bytes > config.maxKeyBytes()) {
      throw new IllegalArgumentException("cache '" + name + "': key id of " + bytes
          + " UTF-8 bytes exceeds maxKeyBytes (" + config.maxKeyBytes() + ")");
    }
    return id;
  }

  /**
   * This cache instance's lease token for reads: one per node, so a lease granted to a read this node stopped
   * waiting for (the call timed out; the server ran it later) is granted again to this node's next read of the
   * key instead of making the node wait for itself until the lease expires. Only one load per key runs on a node
   * at a time (the L1 reservation), so one token per node does not let two of its loads race.
   */
  final String leaseToken = newLeaseToken();

  /**
   * A lease token: 128 random bits, which only has to differ from the other tokens alive for one key at once.
   * Not {@code UUID.randomUUID()}: its secure random source costs microseconds on every L2 read with a loader.
   */
  static String newLeaseToken() {
    ThreadLocalRandom random = ThreadLocalRandom.current();
    return Long.toHexString(random.nextLong()) + '.' + Long.toHexString(random.nextLong());
  }

  /** Whether a stale {@code entry} may be served while it is refreshed: within the window, never degraded. */
  boolean mayServeStale(ValueEntry entry, long now) {
    return policy.swrNanos > 0 && now - policy.freshUntilNanos(entry) < policy.swrNanos && trusted();
  }

  /** Whether a stale {@code entry} may stand in for a load that failed: within the window, never degraded. */
  boolean mayServeOnError(ValueEntry entry) {
    return policy.sieNanos > 0 && entry.value != null && ticker.read() - policy.freshUntilNanos(entry) < policy.sieNanos
        && trusted()
        && entry.generation == fills.generation();
  }

  void safely(Runnable listenerCall) {
    ListenerCalls.safely(name, listenerCall);
  }

  static long utf8Length(String s) {
    long bytes = 0;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c < 0x80) {
        bytes++;
      } else if (c < 0x800) {
        bytes += 2;
      } else if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
        bytes += 4;
        i++;
      } else {
        bytes += 3;
      }
    }
    return bytes;
  }
}
