package io.lamina.micrometer;

import io.lamina.TieredCacheListener;

/**
 * The load timings and the L2 latency in one listener, which also hands every event to the application's own
 * listener: for integrations that give a cache a single listener. It overrides every method of
 * {@link TieredCacheListener}, so none of the application's events is lost (a test checks it).
 */
final class Timings implements TieredCacheListener {

  private final LoadTimings loads;
  private final L2Latency l2;
  private final TieredCacheListener next;

  Timings(LoadTimings loads, L2Latency l2, TieredCacheListener next) {
    this.loads = loads;
    this.l2 = l2;
    this.next = next;
  }

  @Override
  public void onLoadSuccess(String cacheName, long durationNanos) {
    loads.onLoadSuccess(cacheName, durationNanos);
    next.onLoadSuccess(cacheName, durationNanos);
  }

  @Override
  public void onLoadFailure(String cacheName, long durationNanos, Throwable error) {
    loads.onLoadFailure(cacheName, durationNanos, error);
    next.onLoadFailure(cacheName, durationNanos, error);
  }

  @Override
  public void onRemoteCall(String cacheName, String operation, long durationNanos, boolean success) {
    l2.onRemoteCall(cacheName, operation, durationNanos, success);
    next.onRemoteCall(cacheName, operation, durationNanos, success);
  }

  @Override
  public void onDecodeFailure(String cacheName, String id, RuntimeException error) {
    next.onDecodeFailure(cacheName, id, error);
  }

  @Override
  public void onEncodeFailure(String cacheName, String id, RuntimeException error) {
    next.onEncodeFailure(cacheName, id, error);
  }

  @Override
  public void onRemoteFailure(String cacheName, String operation, Throwable error) {
    next.onRemoteFailure(cacheName, operation, error);
  }

  @Override
  public void onFillRejected(String cacheName, String id) {
    next.onFillRejected(cacheName, id);
  }

  @Override
  public void onWriteBehindFailure(String cacheName, Object key, Throwable error) {
    next.onWriteBehindFailure(cacheName, key, error);
  }
}
