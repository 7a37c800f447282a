package io.lamina.internal;

import io.lamina.CacheWriter;
import io.lamina.CacheWriterException;
import io.lamina.TierUnavailableException;
import io.lamina.spi.FillResult;
import io.lamina.spi.Version;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Writes and invalidations. A write invalidates (tombstone with a new version in L2, removal from L1) unless the
 * cache knows the value's source version, in which case L2 compares it and stores the newer. L2 is changed
 * before L1, so a load that starts between the two reads the new state, and a load that started before cannot
 * store: its lease is revoked and its reservation removed.
 */
final class WritePath<K, V> {

  private final CacheContext<K, V> ctx;
  private final @Nullable CacheWriter<K, V> writer;
  private final @Nullable WriteBehindQueue<K, V> writeBehind;

  WritePath(CacheContext<K, V> ctx, @Nullable CacheWriter<K, V> writer,
      @Nullable WriteBehindQueue<K, V> writeBehind) {
    this.ctx = ctx;
    this.writer = writer;
    this.writeBehind = writeBehind;
  }

  /**
   * Writes {@code value}; {@code ttl}, when not null, is its own time to live in both tiers (else {@code ttlOf}'s,
   * else the cache's). It only matters where the value is stored: with {@code versionOf}, under cache-aside,
   * read-through and write-through.
   */
  void put(K key, V value, @Nullable Duration ttl) {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(value, "value (to remove a key, call invalidate)");
    // A bad time to live or a value too large fails before anything changes.
    long ownTtl = ttl != null ? ctx.policy.checkedTtlMillis(ttl, "ttl is") : ctx.policy.ownTtlMillis(value);
    String id = ctx.id(key);
    byte[] payload = ctx.valueCodec == null ? null : ctx.l2.encode(value);
    ctx.keyFilter.add(List.of(id)); // the key exists from now on: reads must not be filtered out
    switch (ctx.config.writeStrategy()) {
      case CACHE_ASIDE, READ_THROUGH -> store(key, id, value, payload, ownTtl);
      case WRITE_AROUND -> {
        writeToSource(key, id, value);
        ctx.keyFilter.add(List.of(id)); // again after the insert: a rebuild running alongside it may have missed it
        invalidate(key, id);
      }
      case WRITE_THROUGH -> writeThrough(key, id, value, payload, ownTtl);
      case WRITE_BEHIND -> {
        Objects.requireNonNull(writeBehind).enqueue(key, value);
        invalidateAccepted(key, id);
      }
    }
  }

  /** Stores a written value if its source version is known, else invalidates. */
  private void store(K key, String id, V value, byte @Nullable [] payload, long ownTtl) {
    if (ctx.policy.versionOf == null) {
      invalidate(key, id);
      return;
    }
    long sourceVersion = ctx.policy.sourceVersion(value);
    if (ctx.remote == null) {
      ctx.fills.storeWritten(key, value, Version.NONE, sourceVersion, ctx.ticker.read(), ownTtl);
      ctx.published(id, Version.NONE);
      return;
    }
    FillResult result;
    long since = ctx.ticker.read(); // an invalidation recorded from here on may be newer than what we write
    try {
      result = ctx.l2.await("putVersioned", () -> ctx.l2.remote().putVersioned(id, sourceVersion,
          Objects.requireNonNull(payload), ownTtl > 0 ? ownTtl : ctx.policy.l2TtlMillis(value)));
    } catch (TierUnavailableException e) {
      ctx.remoteWriteFailed(key, id, sourceVersion); // it may land yet: fence it out, tombstone it until done
      throw e;
    }
    if (result.stored()) {
      ctx.counters.l2Puts.increment();
      ctx.fills.storeWritten(key, value, result.version(), sourceVersion, since, ownTtl);
      ctx.published(id, result.version());
    } else {
      // L2 already holds this source version or a newer one. A newer one's writer told the other nodes; but this
      // same one may have come from a reader's fill, which tells nobody, while another node still holds an older
      // value it loaded itself. The write completed all the same, so the other nodes are told here.
      ctx.fills.invalidate(key, result.version());
      ctx.published(id, result.version());
    }
  }

  /**
   * Write-through: an intent refuses fills while the writer runs; no intent, no source call. Afterwards the
   * intent becomes a tombstone (or the versioned value), whether the writer succeeded or not.
   */
  private void writeThrough(K key, String id, V value, byte @Nullable [] payload, long ownTtl) {
    Version intent = ctx.l2.await("intent", () -> ctx.l2.remote().intent(id, ctx.config.writeTimeout().toMillis()));
    ctx.fills.invalidate(key, intent);
    ctx.published(id, intent);
    writeToSource(key, id, value);
    ctx.keyFilter.add(List.of(id)); // again after the insert: a rebuild running alongside it may have missed it
    store(key, id, value, payload, ownTtl);
  }

  /**
   * Calls the writer. If it fails, the source may or may not have changed, so the key is invalidated in both tiers
   * before the failure reaches the caller: a checked exception as a {@link CacheWriterException}, anything else
   * as thrown, with a failed invalidation attached as suppressed (its repair is queued).
   */
  private void writeToSource(K key, String id, V value) {
    try {
      try {
        Objects.requireNonNull(writer).write(key, value);
      } catch (RuntimeException | Error e) {
        throw e;
      } catch (Exception e) {
        if (e instanceof InterruptedException) {
          Thread.currentThread().interrupt();
        }
        throw new CacheWriterException("cache '" + ctx.name + "': the writer failed: " + e, e);
      }
    } catch (RuntimeException e) {
      try {
        invalidate(key, id);
      } catch (RuntimeException invalidation) {
        e.addSuppressed(invalidation);
      }
      throw e;
    }
  }

  /**
   * Puts each entry. When a put only invalidates (cache-aside or read-through without {@code versionOf}), the
   * tombstones go to L2 in one pipelined call; other strategies write key by key.
   */
  void putAll(Map<? extends K, ? extends V> values) {
    boolean onlyInvalidates = ctx.policy.versionOf == null && !ctx.config.writeStrategy().usesWriter();
    if (onlyInvalidates) {
      for (var e : values.entrySet()) {
        Objects.requireNonNull(e.getKey(), "values contains a null key");
        Objects.requireNonNull(e.getValue(), "values contains a null value");
        if (ctx.valueCodec != null) {
          ctx.l2.encode(e.getValue()); // the same size check a single put makes, before anything changes
        }
      }
      invalidateAll(values.keySet());
      return;
    }
    for (var e : values.entrySet()) {
      put(e.getKey(), e.getValue(), null);
    }
  }

  void invalidate(K key) {
    Objects.requireNonNull(key, "key");
    String id = ctx.id(key);
    ctx.keyFilter.add(List.of(id)); // an invalidation may follow an insert at the source
    invalidate(key, id);
  }

  /**
   * Tombstones L2, then removes from L1. If L2 fails, L1 is still cleared everywhere, the tombstone is queued for
   * repair, and the failure reported.
   */
  private void invalidate(K key, String id) {
    if (ctx.remote == null) {
      ctx.fills.invalidate(key, Version.NONE);
      ctx.published(id, Version.NONE);
      return;
    }
    Version version;
    try {
      version = ctx.l2.await("tombstone", () -> ctx.l2.remote().tombstone(id));
    } catch (TierUnavailableException e) {
      ctx.remoteWriteFailed(key, id); // every node drops it and refuses its L2 entry until the repair lands
      throw e;
    }
    ctx.counters.l2Invalidations.increment();
    ctx.fills.invalidate(key, version);
    ctx.published(id, version);
  }

  /**
   * Invalidates after a write was accepted by the write-behind queue: the write stands even if L2 cannot be
   * reached (the failure is counted and reported to the listener), and the flusher tombstones again after commit.
   */
  void invalidateAccepted(K key, String id) {
    try {
      invalidate(key, id);
    } catch (TierUnavailableException e) {
      // Counted and reported by await; the queued write must not be refused after it was accepted.
    }
  }

  void invalidateAll(Iterable<? extends K> keys) {
    List<K> list = new ArrayList<>();
    List<String> ids = new ArrayList<>();
    for (K key : keys) {
      Objects.requireNonNull(key, "keys contains null");
      list.add(key);
      ids.add(ctx.id(key));
    }
    if (list.isEmpty()) {
      return;
    }
    ctx.keyFilter.add(ids);
    List<Version> versions;
    TierUnavailableException failure = null;
    if (ctx.remote == null) {
      versions = Collections.nCopies(list.size(), Version.NONE);
    } else {
      try {
        versions = ctx.l2.await("tombstoneAll", () -> ctx.l2.remote().tombstoneAll(ids));
        ctx.counters.l2Invalidations.add(list.size());
      } catch (TierUnavailableException e) {
        versions = Collections.nCopies(list.size(), Version.NONE);
        failure = e;
      }
    }
    if (failure != null) {
      for (int i = 0; i < list.size(); i++) {
        ctx.remoteWriteFailed(list.get(i), ids.get(i));
      }
      throw failure;
    }
    for (int i = 0; i < list.size(); i++) {
      ctx.fills.invalidate(list.get(i), versions.get(i));
    }
    ctx.publishedAll(ids, versions); // one batch: a lone first id would otherwise leave on its own
  }

  /**
   * Clears L2, then bumps the generation (no older load can store in L1), clears L1 and tells the other nodes.
   * L2 goes first: a node that dropped its L1 on our word must not refill it from the old L2. If L2 cannot be
   * cleared, every L1 is still flushed, the clear is queued for retry, and until it lands every node takes no L2
   * entry of the cache as fresh (reads go to the source and store nothing); the failure is reported.
   */
  void invalidateAll() {
    TierUnavailableException failure = null;
    if (ctx.remote != null) {
      try {
        ctx.l2.clear();
      } catch (TierUnavailableException e) {
        failure = e;
      }
    }
    if (failure != null) {
      ctx.remoteClearFailed();
    }
    ctx.fills.flush();
    ctx.publishedFlush(failure == null);
    if (failure != null) {
      Objects.requireNonNull(ctx.repairs).clear(); // cleared again, and announced, once L2 answers
      throw failure;
    }
  }
}
