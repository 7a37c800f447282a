package io.lamina.benchmarks.simulate;

import io.lamina.benchmarks.Product;
import java.util.Map;

/** A caching system under simulation: nodes that read and invalidate rows of the source of truth. */
interface SimSystem extends AutoCloseable {

  /** A read's value and the tier that answered it. */
  record Read(Product value, Tier tier) {}

  String name();

  /** Reads {@code key} on {@code node}, loading from the source on a miss. */
  Read read(int node, long key) throws Exception;

  /** The cache's part of a write on {@code node} (after the source committed): cache-aside invalidation. */
  void invalidate(int node, long key) throws Exception;

  /** The cache's part of a write on {@code node} (after the source committed): the new value is put. */
  void put(int node, Product value) throws Exception;

  /** Extra counters worth reporting (e.g. coalesced loads); empty by default. */
  default Map<String, Long> counters() {
    return Map.of();
  }

  /** Waits until the system may be measured. */
  default void ready() throws Exception {}

  @Override
  default void close() {}
}
