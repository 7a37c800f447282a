package io.lamina.testkit.memory;

import io.lamina.Ticker;
import io.lamina.spi.RemoteStore;
import io.lamina.spi.RemoteStoreSpec;
import io.lamina.spi.RemoteTier;
import io.lamina.spi.Roster;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * A remote tier in this JVM's heap with the same semantics as the Redis scripts, for unit tests of the facade:
 * versions, tombstones, intents, leases and source versions, TTLs on an injectable ticker, and handles for faults.
 *
 * <p>One instance stands for one shared Redis: caches built on the same instance share entries, as nodes would.
 */
public final class InMemoryRemoteTier implements RemoteTier {

  final ConcurrentHashMap<String, InMemorySlot> slots = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<String, Map<String, Long>> rosters = new ConcurrentHashMap<>();
  final Ticker ticker;
  volatile @Nullable Supplier<? extends Throwable> failure;
  volatile Consumer<String> beforeFill = key -> {};
  volatile Consumer<String> afterWrite = key -> {};
  volatile Runnable beforeClear = () -> {};
  volatile boolean hanging;
  volatile @Nullable Executor replies;
  final ConcurrentHashMap<String, Map<String, Long>> hotKeys = new ConcurrentHashMap<>();
  final AtomicLong calls = new AtomicLong();
  private volatile String serverIdentity = "primary-1";
  private final AtomicInteger failovers = new AtomicInteger(1);

  /** A tier on the system clock. */
  public InMemoryRemoteTier() {
    this(Ticker.system());
  }

  /** A tier whose TTLs run on {@code ticker}. */
  public InMemoryRemoteTier(Ticker ticker) {
    this.ticker = ticker;
  }

  @Override
  public RemoteStore open(RemoteStoreSpec spec) {
    return new InMemoryRemoteStore(this, spec);
  }

  @Override
  public String name() {
    return "memory";
  }

  /** Writes {@code member} into a namespace's roster behind the nodes' back, as anything with Redis access could. */
  public void plantRosterMember(String namespace, String member, long ttlMillis) {
    rosters.computeIfAbsent(namespace, n -> new ConcurrentHashMap<>()).put(member, nowMillis() + ttlMillis);
  }

  @Override
  public Roster roster(String namespace) {
    Map<String, Long> members = rosters.computeIfAbsent(namespace, n -> new ConcurrentHashMap<>());
    return new Roster() {
      @Override
      public CompletionStage<Set<String>> renew(String node, long ttlMillis) {
        Supplier<? extends Throwable> f = failure;
        if (f != null) {
          return CompletableFuture.failedFuture(f.get());
        }
        long now = nowMillis();
        members.put(node, now + ttlMillis);
        members.values().removeIf(expiry -> expiry <= now);
        return CompletableFuture.completedFuture(Set.copyOf(members.keySet()));
      }

      @Override
      public CompletionStage<Void> leave(String node) {
        members.remove(node);
        return CompletableFuture.completedFuture(null);
      }

      @Override
      public CompletionStage<String> serverIdentity() {
        Supplier<? extends Throwable> f = failure;
        if (f != null) {
          return CompletableFuture.failedFuture(f.get());
        }
        return CompletableFuture.completedFuture(InMemoryRemoteTier.this.serverIdentity);
      }
    };
  }

  /** What a replica holds now: the entries (not the rosters), to take over with later in {@link #failOver}. */
  public Map<String, Object> replicaSnapshot() {
    return Map.copyOf(slots);
  }

  /**
   * A failover to a replica that holds {@code replica} (a {@link #replicaSnapshot}): every write since it was
   * taken is lost, and the tier answers as another server from now on.
   */
  public void failOver(Map<String, Object> replica) {
    slots.clear();
    replica.forEach((k, v) -> slots.put(k, (InMemorySlot) v));
    serverIdentity = "primary-" + failovers.incrementAndGet();
  }

  /** Makes every call complete exceptionally with what {@code error} supplies, until {@link #heal()}. */
  public void failWith(Supplier<? extends Throwable> error) {
    this.failure = error;
  }

  /** Ends a {@link #failWith} or {@link #hang} outage. */
  public void heal() {
    this.failure = null;
    this.hanging = false;
  }

  /** Makes every store call hang (never complete), as a paused server would, until {@link #heal()}. */
  public void hang() {
    this.hanging = true;
  }

  /**
   * Completes every call's future on {@code io} instead of the caller's thread, as a real client's I/O thread
   * would: the server still applies the call at once, only its answer arrives later.
   */
  public void replyOn(Executor io) {
    this.replies = io;
  }

  /** Store calls made so far (reads, fills, writes; failed and hung ones included). */
  public long calls() {
    return calls.get();
  }

  /** Runs {@code hook} with the full key before every fill is applied (to force interleavings). */
  public void beforeFill(Consumer<String> hook) {
    this.beforeFill = hook;
  }

  /**
   * Runs {@code hook} with the full key after every versioned put, tombstone or intent is applied and before
   * the caller sees its result (to force interleavings with what the writer does next).
   */
  public void afterWrite(Consumer<String> hook) {
    this.afterWrite = hook;
  }

  /** Runs {@code hook} when a cache clear is called, before any key is removed (to force interleavings). */
  public void beforeClear(Runnable hook) {
    this.beforeClear = hook;
  }

  /** Removes a key behind the caches' back, as Redis eviction or expiry would. */
  public void evict(String key) {
    slots.remove(key);
  }

  /** Replaces a key's payload with raw bytes, keeping its state as a value (to simulate damage). */
  public void corruptPayload(String key, byte[] payload) {
    slots.computeIfPresent(key, (k, s) -> s.withPayload(payload));
  }

  /** Makes the key hold something that is not an entry at all (as a Redis key of another type would). */
  public void putForeign(String key) {
    slots.put(key, InMemorySlot.foreign());
  }

  /** The live keys, sorted. */
  public Set<String> keys() {
    long now = nowMillis();
    Set<String> live = new TreeSet<>();
    slots.forEach((k, s) -> {
      if (!s.expired(now)) {
        live.add(k);
      }
    });
    return live;
  }

  /** The state letter of a key (V, N, T, I, or X for foreign), or null if absent. */
  public @Nullable String stateOf(String key) {
    InMemorySlot s = slots.get(key);
    return s == null || s.expired(nowMillis()) ? null : s.stateLetter();
  }

  /** The remaining time to live of a key in milliseconds, or -2 if absent (as Redis PTTL). */
  public long ttlMillis(String key) {
    InMemorySlot s = slots.get(key);
    long now = nowMillis();
    return s == null || s.expired(now) ? -2 : s.expiresAtMillis - now;
  }

  long nowMillis() {
    return ticker.read() / 1_000_000;
  }
}
