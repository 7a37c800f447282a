package io.lamina;

import java.time.Duration;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.jspecify.annotations.Nullable;

/**
 * A cache with an in-heap local tier (L1) in front of a shared remote tier (L2), kept coherent by versions.
 *
 * <h2>Reads</h2>
 * A read looks in L1, then L2, then (if it has a loader) the source of truth, and fills the tiers it missed.
 * Loads are <em>single-flight per node</em>: concurrent reads of one key on one node run the loader at most once
 * and share its result. A loader that returns null is a <em>negative result</em>: it is cached with the
 * negative TTL and returned as null, never as an exception.
 *
 * <h2>Writes and staleness</h2>
 * A write or invalidation is applied to this node's L1 and to L2 before the call returns; a load that began
 * before it can never store its older value afterwards, in either tier (<em>guarded fills</em>). With an
 * invalidation bus ({@link TieredCacheBuilder#bus}), other nodes drop the key from their L1 when the message
 * arrives; a node that cannot prove it hears the bus (within the detection time of {@link BusConfig}) stops
 * serving from L1 until it has resynchronised. Without a bus, other nodes' L1 entries may serve the old value
 * until their L1 expiry ({@link TieredCacheConfig#l1ExpireAfterWrite()}, capped by
 * {@link TieredCacheConfig#l1MaxAge()}).
 *
 * <h2>Failures</h2>
 * Every remote call is bounded by {@link TieredCacheConfig#remoteTimeout()}. When L2 cannot be reached, reads
 * follow {@link TieredCacheConfig#remoteFailureMode()} and writes throw {@link TierUnavailableException} after
 * removing the key from this node's L1.
 *
 * <p>Implementations are thread-safe. Keys must not be null ({@link NullPointerException} naming the parameter).
 *
 * @param <K> the key type; its canonical id comes from the cache's {@link io.lamina.spi.KeyCodec}
 * @param <V> the value type
 */
public interface TieredCache<K, V> extends AutoCloseable {

  /** Starts a builder for a cache named {@code name} ({@code [A-Za-z0-9._-]}, at most 128 characters). */
  static <K, V> TieredCacheBuilder<K, V> newBuilder(String name) {
    return new TieredCacheBuilder<>(name);
  }

  /** The cache's name. */
  String name();

  /** The cache's configuration. */
  TieredCacheConfig config();

  /**
   * Returns the value of {@code key}, loading it with the cache's loader on a miss.
   *
   * @return the value, or null for a negative result
   * @throws IllegalStateException if the cache has no loader
   * @throws CacheLoaderException if the loader threw a checked exception (unchecked ones are rethrown as is)
   * @throws TierUnavailableException if L2 is unreachable and the failure mode is {@link RemoteFailureMode#FAIL}
   */
  @Nullable V get(K key);

  /**
   * Returns the value of {@code key}, loading it with {@code loader} on a miss. The loader runs at most once
   * per key per node at a time; concurrent callers wait for it (at most {@link TieredCacheConfig#loadTimeout()}).
   *
   * @return the value, or null for a negative result
   */
  @Nullable V get(K key, CacheLoader<? super K, ? extends V> loader);

  /** Returns the value of {@code key} if L1 or L2 holds it; null when absent or negative. Never loads. */
  @Nullable V getIfPresent(K key);

  /**
   * What L1 or L2 holds for {@code key}, telling a value, a cached negative result and a miss apart (which
   * {@link #getIfPresent} cannot). Never loads; reads like {@link #getIfPresent}, counted the same way.
   */
  Lookup<V> lookup(K key);

  /**
   * Returns the values of {@code keys}: L1 first, then one pipelined round trip to L2, then the bulk loader (or
   * the loader, key by key) for what is left. Keys with negative results are absent from the map; the map
   * iterates in the order of {@code keys} (duplicates once).
   *
   * <p>Every key is checked before any is read: a null key throws {@link NullPointerException} and an id over
   * {@link TieredCacheConfig#maxKeyBytes()} {@link IllegalArgumentException}, both naming the key's position
   * ({@code keys[i]}), with nothing reserved or read. Keys are handled in batches of 1,000: each batch is one
   * pipelined L2 call, bounded by the remote timeout, and one bulk load.
   */
  Map<K, V> getAll(Iterable<? extends K> keys);

  /**
   * Returns the values of {@code keys} that L1 or L2 holds, never loading: L1 first, then one pipelined round
   * trip to L2 for what L1 missed. Values found in L2 are stored in L1 through the same guarded path as a read
   * (a write or invalidation during the call wins). Keys absent from both tiers, and negative results, are absent
   * from the map; the map iterates in the order of {@code keys} (duplicates once). Used by warming to copy what L2
   * holds into L1 without touching the source.
   *
   * <p>The default calls {@link #getIfPresent} key by key.
   */
  default Map<K, V> getAllPresent(Iterable<? extends K> keys) {
    Map<K, V> found = new LinkedHashMap<>();
    Set<K> seen = new HashSet<>();
    for (K key : keys) {
      if (seen.add(key)) {
        V value = getIfPresent(key);
        if (value != null) {
          found.put(key, value);
        }
      }
    }
    return found;
  }

  /**
   * Reloads {@code key} from the source ahead of its expiry, if L2's copy expires within {@code ahead} and no other
   * node is reloading it: one node per key across the cluster wins L2's refresh lease, calls the loader, and stores
   * the new value in L2 (with the lease, so a write or invalidation during the reload wins) and in its own L1 (if
   * the entry there is unchanged). Everyone keeps serving the old value meanwhile. Used by scheduled refresh of
   * keys that stay hot; a key nobody caches (absent, a miss, or far from expiry) is left alone.
   *
   * <p>The default does nothing and returns false, as do caches without L2 and tiers that grant no refresh lease.
   *
   * @return whether this node reloaded the key and stored the new value in L2
   * @throws IllegalStateException if the cache has no loader
   * @throws CacheLoaderException if the loader failed
   * @throws TierUnavailableException if L2 cannot be reached
   */
  default boolean refreshAhead(K key, Duration ahead) {
    return false;
  }

  /**
   * {@link #refreshAhead(Object, Duration)} with {@code loader} instead of the cache's own loader (for
   * caches built without one, such as the Spring starter's).
   */
  default boolean refreshAhead(K key, Duration ahead, CacheLoader<? super K, ? extends V> loader) {
    return false;
  }

  /**
   * Writes {@code value} under {@code key} according to the cache's {@link WriteStrategy}.
   *
   * @throws IllegalArgumentException if the encoded value exceeds {@link TieredCacheConfig#maxValueBytes()};
   *     nothing is written
   * @throws WriteBehindQueueFullException under write-behind when the queue is full; nothing is written
   */
  void put(K key, V value);

  /**
   * {@link #put(Object, Object)} with {@code value}'s own time to live: where the value is stored (the cache has
   * {@link TieredCacheBuilder#versionOf}; cache-aside, read-through or write-through), L2 keeps it exactly
   * {@code ttl} and L1 never longer, stale serving included. Without {@code versionOf} a put only invalidates,
   * so {@code ttl} has nothing to apply to: the next load decides (see {@link TieredCacheBuilder#ttlOf}).
   *
   * @throws IllegalArgumentException if {@code ttl} is under 1 ms, or as {@link #put(Object, Object)}; nothing is
   *     written
   */
  void put(K key, V value, Duration ttl);

  /** {@link #put} for each entry; remote work is pipelined where the strategy allows. */
  void putAll(Map<? extends K, ? extends V> values);

  /** Removes {@code key} from both tiers: a tombstone with a new version in L2, nothing in L1. */
  void invalidate(K key);

  /**
   * What this instance's tiers hold for {@code key}, for diagnostics: not counted as a read, no tier filled, no
   * lease taken. The L2 read waits at most {@link TieredCacheConfig#remoteTimeout()}; a failed read is reported
   * in {@link Inspection.Remote#error()}, not thrown.
   */
  Inspection inspect(K key);

  /** {@link #invalidate} for each key, pipelined to L2. */
  void invalidateAll(Iterable<? extends K> keys);

  /** Removes every entry of this cache from L1 and L2. Loads in flight can no longer store what they load. */
  void invalidateAll();

  /**
   * {@link #get(Object)} without waiting: an L1 hit completes at once, an L2 hit when the remote client's answer
   * arrives (on that client's thread; no thread of the cache's executor is used or parked). A miss loads with the
   * builder's {@code asyncLoader}, as {@link #getAsync(Object, AsyncCacheLoader)} does, without blocking;
   * without one, the builder's loader runs on the executor. Rare paths that must wait (another node's lease
   * under distributed single-flight, an unreadable L2 entry, a configured key filter, no remote tier,
   * write-behind) continue on the executor through the synchronous path.
   */
  CompletableFuture<@Nullable V> getAsync(K key);

  /** {@link #getAsync(Object)} with this loader, which runs on the cache's executor. */
  CompletableFuture<@Nullable V> getAsync(K key, CacheLoader<? super K, ? extends V> loader);

  /**
   * {@link #getAsync(Object)} with a loader that does not block: a miss in both tiers starts {@code loader}, fills
   * L2 (with the key's lease) and L1 when its future completes, under the same guards as a synchronous load. No
   * thread is parked on the common path: L1 hit, joining another caller's load, L2 hit, or a lease-holding load.
   */
  CompletableFuture<@Nullable V> getAsync(K key, AsyncCacheLoader<? super K, ? extends V> loader);

  /** {@link #getIfPresent} without waiting, like {@link #getAsync(Object)}: nothing is loaded. */
  CompletableFuture<@Nullable V> getIfPresentAsync(K key);

  /**
   * {@link #getAll} without waiting: L1 hits are settled on the caller's thread, then one pipelined L2 read
   * completes the L2 hits on the remote client's thread. Keys both tiers miss are loaded on the executor (the
   * bulk loader and the loader block; an {@code asyncLoader} alone is waited for there, key by key); so are the
   * rare paths {@link #getAsync(Object)} lists, and calls over 1,000 keys.
   */
  CompletableFuture<Map<K, V>> getAllAsync(Iterable<? extends K> keys);

  /** {@link #put} on the cache's executor. */
  CompletableFuture<Void> putAsync(K key, V value);

  /** {@link #put(Object, Object, Duration)} on the cache's executor. */
  CompletableFuture<Void> putAsync(K key, V value, Duration ttl);

  /** {@link #putAll} on the cache's executor. */
  CompletableFuture<Void> putAllAsync(Map<? extends K, ? extends V> values);

  /** {@link #invalidate} on the cache's executor. */
  CompletableFuture<Void> invalidateAsync(K key);

  /** {@link #invalidateAll(Iterable)} on the cache's executor. */
  CompletableFuture<Void> invalidateAllAsync(Iterable<? extends K> keys);

  /** {@link #invalidateAll()} on the cache's executor. */
  CompletableFuture<Void> invalidateAllAsync();

  /** A snapshot of the cache's counters, per tier. */
  TieredCacheStats stats();

  /** This node's invalidation-bus state for the cache's namespace ({@link CoherenceStats#NO_BUS} without a bus). */
  CoherenceStats coherence();

  /**
   * The hottest keys on this node over the hot-key window, hottest first, as canonical ids with estimated read
   * counts; empty unless {@link ProtectionConfig#hotKeys()} is set.
   */
  List<HotKey> hotKeys();

  /** Keys whose write-behind writes are queued or being written (0 for other strategies). */
  int pendingWrites();

  /**
   * Flushes queued write-behind writes (waiting at most {@link WriteBehindConfig#closeTimeout()}, reporting what
   * could not be written to the listener) and releases the local tier. The remote client is not closed.
   */
  @Override
  void close();
}
