package io.lamina.internal;

import io.lamina.BulkLoader;
import io.lamina.CacheLoader;
import io.lamina.CacheLoaderException;
import io.lamina.RemoteFailureMode;
import io.lamina.TierUnavailableException;
import io.lamina.internal.Reservation.Outcome;
import io.lamina.spi.FillResult;
import io.lamina.spi.LocalEntry;
import io.lamina.spi.RemoteEntry;
import io.lamina.spi.RemoteStore;
import io.lamina.spi.Version;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * {@code getAll}: L1 for each key, one pipelined L2 read (with a lease per miss) for what L1 missed, one bulk
 * load for what both missed, one pipelined fill. The same guards as a single read apply key by key; keys another
 * caller is already loading on this node are joined, not loaded twice.
 *
 * <p>Past 400 lines because it holds those steps twice, blocking ({@code getAll}) and as futures
 * ({@code getAllAsync}), side by side so that a guard added to one is seen missing from the other. What both do
 * alike is written once: the pass over L1 ({@code localPass}), the pipelined read ({@code readAll}), what an L2
 * answer does to a slot ({@code settle}), what is left to load ({@code afterRead}) and the result's order.
 */
final class BulkRead<K, V> {

  /**
   * Keys handled per batch by {@code getAll}: each batch reserves at most this many L1 slots and makes one
   * pipelined L2 call (bounded by the remote timeout) and one bulk load, so a call with a million keys neither
   * waits on one huge pipeline nor evicts L1 with its reservations.
   */
  static final int GET_ALL_BATCH = 1_000;

  private final CacheContext<K, V> ctx;
  private final ReadPath<K, V> single;

  BulkRead(CacheContext<K, V> ctx, ReadPath<K, V> single) {
    this.ctx = ctx;
    this.single = single;
  }

  /** One key this call reserved and must settle. */
  private final class Slot {
    final K key;
    final String id;
    final Reservation reservation;
    @Nullable String token;
    @Nullable RemoteEntry entry;
    @Nullable Outcome outcome;

    Slot(K key, String id, Reservation reservation) {
      this.key = key;
      this.id = id;
      this.reservation = reservation;
    }
  }

  /**
   * Checks every key before any is reserved: a null or an id over {@code maxKeyBytes} fails the whole call,
   * naming the key's position, with nothing reserved and nothing read. Returns the distinct keys (in order) with
   * their ids.
   */
  Map<K, String> checked(Iterable<? extends K> keys) {
    Map<K, String> ids = new LinkedHashMap<>();
    int position = 0;
    for (K key : keys) {
      if (key == null) {
        throw new NullPointerException("cache '" + ctx.name + "': getAll keys[" + position + "] is null");
      }
      if (!ids.containsKey(key)) {
        try {
          ids.put(key, ctx.id(key));
        } catch (RuntimeException e) {
          throw new IllegalArgumentException("getAll keys[" + position + "]: " + e.getMessage(), e);
        }
      }
      position++;
    }
    return ids;
  }

  Map<K, V> getAll(Map<K, String> ids, @Nullable BulkLoader<K, V> bulkLoader,
      @Nullable CacheLoader<? super K, ? extends V> loader) {
    Map<K, V> result = new LinkedHashMap<>();
    Map<K, String> batch = new LinkedHashMap<>();
    for (Map.Entry<K, String> e : ids.entrySet()) {
      batch.put(e.getKey(), e.getValue());
      if (batch.size() == GET_ALL_BATCH) {
        result.putAll(batch(batch, bulkLoader, loader));
        batch.clear();
      }
    }
    if (!batch.isEmpty()) {
      result.putAll(batch(batch, bulkLoader, loader));
    }
    return result;
  }

  /** One batch: at most {@link #GET_ALL_BATCH} reservations, one pipelined L2 call, one bulk load. */
  private Map<K, V> batch(Map<K, String> ids, @Nullable BulkLoader<K, V> bulkLoader,
      @Nullable CacheLoader<? super K, ? extends V> loader) {
    LocalPass pass = localPass(ids, loader, false);
    Map<K, @Nullable Object> found = pass.found;
    List<Slot> mine = pass.mine;
    try {
      settle(mine, bulkLoader, loader);
    } catch (Throwable t) {
      for (Slot s : mine) {
        ctx.local.remove(s.key, s.reservation);
        s.reservation.result.completeExceptionally(t);
      }
      throw t;
    }
    for (Slot s : mine) {
      Outcome outcome = Objects.requireNonNull(s.outcome);
      s.reservation.result.complete(outcome);
      found.put(s.key, outcome.value());
    }
    for (K key : pass.others) {
      // Another caller is loading it: join (or load it ourselves if that caller had no loader).
      Outcome o = single.readThrough(key, loader);
      found.put(key, o.value());
    }
    return inOrder(ids.keySet(), found);
  }

  /** What one pass over L1 found: values (and negative results) served, keys reserved, keys others are loading. */
  private final class LocalPass {
    final Map<K, @Nullable Object> found = new HashMap<>();
    final List<K> others = new ArrayList<>();
    final List<Slot> mine = new ArrayList<>();
  }

  /**
   * Reads every key in L1 as a single read does; reserves each miss for this call ({@code async}: a reservation
   * no thread owns), unless another caller's load of it is in flight.
   */
  private LocalPass localPass(Map<K, String> ids, @Nullable CacheLoader<? super K, ? extends V> loader,
      boolean async) {
    LocalPass pass = new LocalPass();
    for (Map.Entry<K, String> e : ids.entrySet()) {
      K key = e.getKey();
      Object local = single.readLocal(key, loader);
      if (!single.isMiss(local)) {
        pass.found.put(key, local);
        continue;
      }
      ctx.counters.l1Misses.increment();
      Slot slot = reserve(key, e.getValue(), async);
      if (slot == null) {
        pass.others.add(key);
      } else {
        pass.mine.add(slot);
      }
    }
    return pass;
  }

  /** The values found, in the order of the keys asked for; negative results and misses left out. */
  private Map<K, V> inOrder(Set<K> keys, Map<K, @Nullable Object> found) {
    Map<K, V> result = new LinkedHashMap<>();
    for (K key : keys) {
      @SuppressWarnings("unchecked")
      V v = (V) found.get(key);
      if (v != null) {
        result.put(key, v);
      }
    }
    return result;
  }

  /** Places this call's reservation, or returns null if another caller's load of the key is in flight. */
  private @Nullable Slot reserve(K key, String id, boolean async) {
    for (;;) {
      LocalEntry e = ctx.local.getIfPresent(key);
      Generation generation = ctx.fills.generation();
      if (e instanceof Reservation r && r.generation == generation) {
        return null;
      }
      Reservation mine = async ? ctx.fills.newAsyncReservation() : ctx.fills.newReservation();
      boolean placed = e == null ? ctx.local.putIfAbsent(key, mine) == null : ctx.local.replace(key, e, mine);
      if (placed) {
        return new Slot(key, id, mine);
      }
    }
  }

  private void settle(List<Slot> slots, @Nullable BulkLoader<K, V> bulkLoader,
      @Nullable CacheLoader<? super K, ? extends V> loader) {
    if (slots.isEmpty()) {
      return;
    }
    boolean canLoad = bulkLoader != null || loader != null;
    if (canLoad) {
      List<Slot> possible = new ArrayList<>(slots.size());
      for (Slot s : slots) {
        if (ctx.keyFilter.filteredOut(s.id)) {
          ctx.fills.fill(s.key, s.reservation, null, Version.NONE, -1, ValueEntry.NO_SOURCE_VERSION);
          s.outcome = new Outcome(null, true); // it cannot exist: negative, in L1 only
        } else {
          possible.add(s);
        }
      }
      if (possible.isEmpty()) {
        return;
      }
      slots = possible;
    }
    boolean remoteUp = ctx.remote != null && readRemote(slots, canLoad);
    afterRead(slots, remoteUp, bulkLoader, loader);
  }

  /** What L2 did not answer: loaded (in bulk, or waited for when another node holds the lease) and filled. */
  private void afterRead(List<Slot> slots, boolean remoteUp, @Nullable BulkLoader<K, V> bulkLoader,
      @Nullable CacheLoader<? super K, ? extends V> loader) {
    boolean canLoad = bulkLoader != null || loader != null;
    List<Slot> toLoad = new ArrayList<>();
    for (Slot s : slots) {
      if (s.outcome == null) {
        toLoad.add(s);
      }
    }
    if (toLoad.isEmpty()) {
      return;
    }
    if (!canLoad) {
      for (Slot s : toLoad) {
        ctx.local.remove(s.key, s.reservation);
        s.outcome = Outcome.NOT_FOUND;
      }
      return;
    }
    // With distributed single-flight, keys another node is loading are waited for, not loaded again.
    List<Slot> held = new ArrayList<>();
    if (remoteUp && loader != null && ctx.config.protection().distributedSingleFlight()) {
      for (Slot s : toLoad) {
        if (s.entry != null && s.entry.lease() == RemoteEntry.Lease.HELD_BY_OTHER) {
          held.add(s);
        }
      }
      toLoad.removeAll(held);
    }
    try {
      if (!toLoad.isEmpty()) {
        loadAndFill(toLoad, bulkLoader, loader, remoteUp);
      }
    } finally {
      for (Slot s : toLoad) {
        if (s.entry != null && s.entry.lease() == RemoteEntry.Lease.GRANTED) {
          ctx.wakeUps.loadEnded(s.id); // stored, refused or failed: waiters on other nodes re-read now
        }
      }
    }
    for (Slot s : held) {
      RemoteEntry entry = Objects.requireNonNull(s.entry);
      Outcome landed = single.awaitHolder(s.key, s.id, s.reservation, Objects.requireNonNull(loader),
          entry.remainingTtlMillis());
      if (landed == null) {
        V value = ctx.loads.callLoader(loader, s.key, false); // the fallback: load, serve, store nowhere
        ctx.local.remove(s.key, s.reservation);
        landed = new Outcome(value, true);
      }
      s.outcome = landed;
    }
  }

  private void loadAndFill(List<Slot> toLoad, @Nullable BulkLoader<K, V> bulkLoader,
      @Nullable CacheLoader<? super K, ? extends V> loader, boolean remoteUp) {
    Map<K, @Nullable V> loaded = load(toLoad, bulkLoader, loader, ctx.remote != null && !remoteUp);
    List<Slot> filling = new ArrayList<>();
    List<RemoteStore.Fill> fills = new ArrayList<>();
    for (Slot s : toLoad) {
      V value = loaded.get(s.key);
      s.outcome = new Outcome(value, true);
      RemoteEntry entry = s.entry;
      if (ctx.remote == null) {
        ctx.fills.fill(s.key, s.reservation, value, Version.NONE, -1, ctx.policy.sourceVersionOf(value));
      } else if (!remoteUp || entry == null || entry.lease() == RemoteEntry.Lease.REFUSED
          || entry.lease() == RemoteEntry.Lease.NOT_REQUESTED) {
        // an intent (a write in progress), or an entry that could not be read or trusted: serve, store nowhere
        ctx.local.remove(s.key, s.reservation);
      } else if (entry.lease() == RemoteEntry.Lease.GRANTED && s.token != null) {
        byte[] payload = value == null ? null : ctx.l2.encodeForFill(s.id, value);
        if (value != null && payload == null) {
          ctx.local.remove(s.key, s.reservation); // cannot be encoded for L2: serve it, cache it nowhere
        } else {
          filling.add(s);
          fills.add(new RemoteStore.Fill(s.id, s.token, payload, ctx.policy.l2TtlMillis(value),
              ctx.policy.sourceVersionOf(value)));
        }
      } else {
        ctx.fills.fill(s.key, s.reservation, value, entry.version(), -1, ctx.policy.sourceVersionOf(value));
      }
    }
    fillRemote(filling, fills);
  }

  /**
   * {@code getAllAsync}: the L1 pass on the caller's thread, one pipelined L2 read whose answer settles the L2 hits
   * on the remote client's thread, and keys other callers are loading joined without waiting. Only what must
   * wait — a load (the bulk loader blocks), another node's lease, a damaged entry's repair — continues on the
   * executor. A call over one batch, with a key filter (which may ask L2) or without a remote tier runs
   * {@link #getAll} on the executor.
   */
  CompletableFuture<Map<K, V>> getAllAsync(Map<K, String> ids, @Nullable BulkLoader<K, V> bulkLoader,
      @Nullable CacheLoader<? super K, ? extends V> loader, AsyncReadPath<K, V> async) {
    boolean canLoad = bulkLoader != null || loader != null;
    if (ids.size() > GET_ALL_BATCH || ctx.remote == null || canLoad && ctx.keyFilter.present()) {
      return onExecutor(() -> getAll(ids, bulkLoader, loader));
    }
    LocalPass pass = localPass(ids, loader, true);
    Map<K, @Nullable Object> local = pass.found;
    List<Slot> mine = pass.mine;
    Map<K, CompletableFuture<Outcome>> others = new LinkedHashMap<>();
    for (K key : pass.others) {
      others.put(key, async.readThrough(key, loader == null ? null : AsyncReadPath.Loader.blocking(loader)));
    }
    CompletableFuture<Void> settled = mine.isEmpty() ? CompletableFuture.completedFuture(null)
        : readRemoteAsync(mine, canLoad).thenCompose(remoteUp -> mine.stream().allMatch(s -> s.outcome != null)
            ? CompletableFuture.completedFuture(null)
            : onExecutor(() -> {
              afterRead(mine, remoteUp, bulkLoader, loader);
              return null;
            }));
    CompletableFuture<Void> mineDone = settled.handle((ignored, error) -> {
      for (Slot s : mine) {
        if (error != null) {
          ctx.local.remove(s.key, s.reservation);
          s.reservation.result.completeExceptionally(AsyncReadPath.cause(error));
        } else {
          s.reservation.result.complete(Objects.requireNonNull(s.outcome));
        }
      }
      if (error != null) {
        throw new CompletionException(AsyncReadPath.cause(error));
      }
      return null;
    });
    List<CompletableFuture<?>> all = new ArrayList<>(others.values());
    all.add(mineDone);
    return CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).thenApply(ignored -> {
      for (Slot s : mine) {
        local.put(s.key, Objects.requireNonNull(s.outcome).value());
      }
      others.forEach((key, joined) -> local.put(key, joined.join().value()));
      return inOrder(ids.keySet(), local);
    });
  }

  /**
   * {@link #readRemote} without waiting: completes on the remote client's thread with whether L2 answered. An entry
   * it cannot decode is loaded and stored nowhere, as there; its count and repair run on the executor.
   */
  private CompletableFuture<Boolean> readRemoteAsync(List<Slot> slots, boolean withLeases) {
    return ctx.l2.call("readAll", readAll(slots, withLeases)).handle((entries, error) -> {
      if (error != null) {
        Throwable t = AsyncReadPath.cause(error);
        if (ctx.config.remoteFailureMode() == RemoteFailureMode.FAIL || !(t instanceof TierUnavailableException)) {
          throw new CompletionException(t);
        }
        return false;
      }
      for (int i = 0; i < slots.size(); i++) {
        Slot s = slots.get(i);
        RemoteEntry entry = entries.get(i);
        boolean refused = ctx.refusedFromL2(s.id, entry);
        Object value = refused ? RemoteGateway.UNREADABLE : ctx.l2.decodeQuietly(entry);
        if (!refused && value == RemoteGateway.UNREADABLE
            && (entry.state() == RemoteEntry.State.VALUE || entry.state() == RemoteEntry.State.CORRUPT)) {
          onExecutor(() -> ctx.l2.decodeRemote(s.id, entry)); // counts it, and replaces it if it is damaged
        }
        settle(s, value == RemoteGateway.UNREADABLE ? null : entry, value);
      }
      return true;
    });
  }

  private <T> CompletableFuture<T> onExecutor(Supplier<T> step) {
    try {
      return CompletableFuture.supplyAsync(step, ctx.executor);
    } catch (RejectedExecutionException e) {
      return CompletableFuture.failedFuture(
          new CacheLoaderException("cache '" + ctx.name + "': the executor refused an asynchronous read", e));
    }
  }

  /** Reads every slot in one pipelined call; returns false when L2 is unreachable (and the mode allows that). */
  private boolean readRemote(List<Slot> slots, boolean withLeases) {
    List<RemoteEntry> entries;
    try {
      entries = ctx.l2.await("readAll", readAll(slots, withLeases));
    } catch (TierUnavailableException e) {
      if (ctx.config.remoteFailureMode() == RemoteFailureMode.FAIL) {
        throw e;
      }
      return false;
    }
    for (int i = 0; i < slots.size(); i++) {
      Slot s = slots.get(i);
      RemoteEntry entry = entries.get(i);
      Object value = ctx.refusedFromL2(s.id, entry) ? RemoteGateway.UNREADABLE : ctx.l2.decodeRemote(s.id, entry);
      settle(s, value == RemoteGateway.UNREADABLE ? null : entry, value);
    }
    return true;
  }

  /** The pipelined read of every slot's id, asking a lease for each ({@code withLeases}) under this node's token. */
  private Supplier<CompletionStage<List<RemoteEntry>>> readAll(List<Slot> slots, boolean withLeases) {
    List<String> ids = new ArrayList<>(slots.size());
    List<String> tokens = withLeases ? new ArrayList<>(slots.size()) : null;
    for (Slot s : slots) {
      ids.add(s.id);
      if (tokens != null) {
        s.token = ctx.leaseToken;
        tokens.add(s.token);
      }
    }
    long leaseMillis = ctx.config.loadTimeout().toMillis();
    return () -> ctx.l2.remote().readAll(ids, tokens, leaseMillis);
  }

  /**
   * Records what L2 answered for a slot: a hit fills L1 in place of the reservation; {@code entry} null (an entry
   * that could not be read or trusted) is a miss without lease, loaded and stored nowhere.
   */
  private void settle(Slot s, @Nullable RemoteEntry entry, @Nullable Object value) {
    if (entry == null) {
      entry = RemoteEntry.absent(RemoteEntry.Lease.NOT_REQUESTED);
      s.token = null;
    }
    s.entry = entry;
    if (entry.isHit()) {
      ctx.counters.l2Hits.increment();
      ctx.fills.fill(s.key, s.reservation, value, entry.version(), entry.remainingTtlMillis(),
          ctx.policy.sourceVersionOf(value));
      s.outcome = new Outcome(value, true);
    } else {
      ctx.counters.l2Misses.increment();
    }
  }

  private Map<K, @Nullable V> load(List<Slot> toLoad, @Nullable BulkLoader<K, V> bulkLoader,
      @Nullable CacheLoader<? super K, ? extends V> loader, boolean remoteDown) {
    Map<K, @Nullable V> loaded = new LinkedHashMap<>();
    if (bulkLoader == null) {
      for (Slot s : toLoad) {
        loaded.put(s.key, ctx.loads.callLoader(Objects.requireNonNull(loader), s.key, remoteDown));
      }
      return loaded;
    }
    Set<K> keys = new LinkedHashSet<>();
    for (Slot s : toLoad) {
      keys.add(s.key);
    }
    for (Slot s : toLoad) {
      ctx.guard.acquireMiss(s.id);
    }
    Guard.Permit permit = ctx.guard.acquireLoad(keys.size() + " keys", remoteDown);
    long start = ctx.ticker.read();
    Map<K, V> result;
    try {
      result = Objects.requireNonNull(ctx.loads.limited(keys.size() + " keys", keys, () -> bulkLoader.loadAll(keys)),
          "bulkLoader returned null");
      ctx.guard.loadFinished(permit, start, ctx.ticker.read(), null);
    } catch (Throwable t) {
      ctx.guard.loadFinished(permit, start, ctx.ticker.read(), t);
      ctx.loads.loadFailed(start, t);
      throw ctx.loads.rethrow(t);
    }
    int negatives = 0;
    for (K key : keys) {
      V v = result.get(key);
      if (v == null) {
        negatives++;
      }
      loaded.put(key, v);
    }
    ctx.loads.loadSucceeded(start, negatives);
    return loaded;
  }

  private void fillRemote(List<Slot> filling, List<RemoteStore.Fill> fills) {
    if (fills.isEmpty()) {
      return;
    }
    List<FillResult> results;
    try {
      results = ctx.l2.await("fillAll", () -> ctx.l2.remote().fillAll(fills));
    } catch (TierUnavailableException e) {
      for (Slot s : filling) {
        ctx.local.remove(s.key, s.reservation);
      }
      return;
    }
    for (int i = 0; i < filling.size(); i++) {
      Slot s = filling.get(i);
      FillResult r = results.get(i);
      Object value = Objects.requireNonNull(s.outcome).value();
      if (r.stored()) {
        ctx.counters.l2Puts.increment();
        ctx.fills.fill(s.key, s.reservation, value, r.version(), -1, ctx.policy.sourceVersionOf(value));
      } else {
        ctx.counters.rejectedFills.increment();
        ctx.safely(() -> ctx.listener.onFillRejected(ctx.name, s.id));
        ctx.local.remove(s.key, s.reservation);
      }
    }
  }

}
