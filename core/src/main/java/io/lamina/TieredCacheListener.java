package io.lamina;

/**
 * Events of a cache, for logs, tracing and metrics that counters cannot express. Every method has a no-op
 * default; override what you need. Methods run on the thread that caused the event and must be fast and must not
 * throw (an exception is logged and ignored). Hits and misses are not events: read them from
 * {@link TieredCache#stats()}, which costs the hit path nothing.
 */
public interface TieredCacheListener {

  /** A listener that does nothing. */
  TieredCacheListener NO_OP = new TieredCacheListener() {};

  /** The loader returned (a value, or null for a negative result). */
  default void onLoadSuccess(String cacheName, long durationNanos) {}

  /** The loader threw. */
  default void onLoadFailure(String cacheName, long durationNanos, Throwable error) {}

  /** A remote entry could not be decoded; it was treated as a miss and replaced unless it had changed. */
  default void onDecodeFailure(String cacheName, String id, RuntimeException error) {}

  /**
   * A loaded value could not be encoded for the remote tier (the codec refused it, or it exceeds
   * {@code maxValueBytes}); it was returned to its caller and stored in neither tier.
   */
  default void onEncodeFailure(String cacheName, String id, RuntimeException error) {}

  /** A remote call failed or timed out. {@code operation} is e.g. {@code read}, {@code fill}, {@code tombstone}. */
  default void onRemoteFailure(String cacheName, String operation, Throwable error) {}

  /**
   * A call to the remote tier ended, successfully or not, after {@code durationNanos} (measured from before the
   * call was sent to its answer, its failure or the end of the wait). {@code operation} is e.g. {@code read},
   * {@code fill}, {@code tombstone}; calls refused by an open breaker are not calls and are not reported here.
   */
  default void onRemoteCall(String cacheName, String operation, long durationNanos, boolean success) {}

  /** A fill was refused because a write or invalidation overtook the load; the caller still got its value. */
  default void onFillRejected(String cacheName, String id) {}

  /** A write-behind write failed on every attempt and was given up. {@code key} is the cache's key. */
  default void onWriteBehindFailure(String cacheName, Object key, Throwable error) {}
}
