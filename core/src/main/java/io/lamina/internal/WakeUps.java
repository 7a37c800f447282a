package io.lamina.internal;

import io.lamina.spi.InvalidationMessage;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;

/**
 * Distributed single-flight's wake-ups: the reads of one cache on this node that wait for some node's load of an
 * id, by id. A load that held the lease ends here ({@link #loadEnded}): its waiters on this node re-read L2 at
 * once, and with distributed single-flight on, the other nodes' waiters hear it over the bus ({@link #woken}).
 * A wait that ends otherwise (its own timeout) forgets its registration, so no wake-up is kept for nobody.
 */
final class WakeUps {

  private final String cacheName;
  private final boolean announce;
  private final ConcurrentHashMap<String, CompletableFuture<Void>> waiting = new ConcurrentHashMap<>();
  private volatile @Nullable BusNode busNode;

  /**
   * @param announce whether a load that ends here is announced to the other nodes (distributed single-flight)
   */
  WakeUps(String cacheName, boolean announce) {
    this.cacheName = cacheName;
    this.announce = announce;
  }

  /** The bus that carries wake-ups to and from the other nodes; set once the node joined it. */
  void joined(@Nullable BusNode node) {
    busNode = node;
  }

  /**
   * A future completed when some node's load of {@code id} ends. Register before re-reading L2, so a load that
   * ends in between is not missed.
   */
  CompletableFuture<Void> of(String id) {
    return waiting.computeIfAbsent(id, i -> new CompletableFuture<>());
  }

  /** A wait that ended without its wake-up (it timed out, or read a value): nobody may ever complete it. */
  void forget(String id, CompletableFuture<Void> wake) {
    waiting.remove(id, wake);
  }

  /** This node's lease-holding load of {@code id} ended (stored, refused or failed): wake waiters everywhere. */
  void loadEnded(String id) {
    wake(id);
    BusNode node = busNode;
    if (node != null && announce) {
      node.wake(cacheName, id);
    }
  }

  /** Other nodes' loads of these ids ended: wake their waiters here. */
  void woken(List<InvalidationMessage.Entry> entries) {
    for (InvalidationMessage.Entry e : entries) {
      wake(e.id());
    }
  }

  private void wake(String id) {
    CompletableFuture<Void> w = waiting.remove(id);
    if (w != null) {
      w.complete(null);
    }
  }
}
