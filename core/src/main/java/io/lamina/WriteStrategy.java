package io.lamina;

/**
 * How a cache relates to its source of truth. Chosen per cache; {@link #CACHE_ASIDE} by default.
 *
 * <p>Whatever the strategy, a write <em>invalidates</em>: it leaves a tombstone with a new version in the remote
 * tier and removes the key from this node's local tier, so the next read loads. A write stores the value itself
 * only when the cache knows the source's own version of it ({@link TieredCacheBuilder#versionOf}).
 */
public enum WriteStrategy {

  /** The caller owns the source: it writes there, then calls {@code invalidate} or {@code put}. */
  CACHE_ASIDE,

  /** Like cache-aside, and reads load through the cache's loader, which is required. */
  READ_THROUGH,

  /**
   * {@code put} calls the cache's writer synchronously. Before the writer runs, an <em>intent</em> is placed in
   * the remote tier that refuses fills until the write ends (or the write timeout passes); if the intent cannot
   * be placed, the write fails before the source is touched.
   */
  WRITE_THROUGH,

  /** {@code put} calls the writer, then invalidates the key. No intent: cheaper, for rarely read keys. */
  WRITE_AROUND,

  /**
   * {@code put} queues the value; a background flusher calls the writer in batches, newest value per key, with
   * retries. The writing node reads its own queued writes. The queue lives in this process's heap: writes still
   * queued when the process dies are lost.
   */
  WRITE_BEHIND;

  /** Whether this strategy calls a {@link CacheWriter}. */
  public boolean usesWriter() {
    return this == WRITE_THROUGH || this == WRITE_AROUND || this == WRITE_BEHIND;
  }
}
