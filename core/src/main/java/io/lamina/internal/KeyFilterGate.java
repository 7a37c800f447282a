package io.lamina.internal;

import io.lamina.TierUnavailableException;
import io.lamina.TieredCacheListener;
import io.lamina.spi.KeyFilter;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The key filter as one cache's reads and writes use it (penetration protection): reads ask it whether an id can
 * exist at the source and fail open when it cannot answer; writes record ids in it before anything else changes
 * and fail when it cannot record them, so no written key is ever filtered out.
 */
final class KeyFilterGate {

  private final String cacheName;
  private final @Nullable KeyFilter filter;
  private final Counters counters;
  private final TieredCacheListener listener;

  KeyFilterGate(String cacheName, @Nullable KeyFilter filter, Counters counters, TieredCacheListener listener) {
    this.cacheName = cacheName;
    this.filter = filter;
    this.counters = counters;
    this.listener = listener;
  }

  /** Whether reads consult a key filter (which may ask the remote tier, so may wait). */
  boolean present() {
    return filter != null;
  }

  /**
   * Whether the key filter rules {@code id} out (it cannot exist at the source). A filter that cannot answer
   * rules nothing out: the failure is counted and reported like a remote failure, and the read goes on.
   */
  boolean filteredOut(String id) {
    KeyFilter f = filter;
    if (f == null || id.isEmpty()) {
      return false; // an empty id cannot be recorded in a filter: never rule it out
    }
    try {
      if (!f.mightContain(id)) {
        counters.filteredMisses.increment();
        return true;
      }
      return false;
    } catch (TierUnavailableException e) {
      counters.remoteFailures.increment();
      ListenerCalls.safely(cacheName, () -> listener.onRemoteFailure(cacheName, "keyFilter.mightContain", e));
      return false;
    }
  }

  /** Adds written ids to the key filter before anything else changes; a failure fails the write. */
  void add(List<String> ids) {
    KeyFilter f = filter;
    if (f == null) {
      return;
    }
    List<String> recordable = ids.stream().filter(id -> !id.isEmpty()).toList();
    if (recordable.isEmpty()) {
      return;
    }
    try {
      if (recordable.size() == 1) {
        f.add(recordable.get(0));
      } else {
        f.addAll(recordable);
      }
    } catch (TierUnavailableException e) {
      counters.remoteFailures.increment();
      ListenerCalls.safely(cacheName, () -> listener.onRemoteFailure(cacheName, "keyFilter.add", e));
      throw e;
    }
  }
}
