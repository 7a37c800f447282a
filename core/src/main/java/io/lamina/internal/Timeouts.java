package io.lamina.internal;

import io.lamina.TieredCacheConfig;

/**
 * The waits one cache derives from its configuration, in nanoseconds, each worked out in one place with the reason
 * for its length.
 *
 * @param load a load's time limit ({@link TieredCacheConfig#loadTimeout()})
 * @param remote one L2 round trip's limit ({@link TieredCacheConfig#remoteTimeout()})
 * @param degradedMaxAge the oldest entry a node serves while it does not trust its L1, 0 for none
 * @param join how long a caller waits for another caller's load of the same key on this node: the longest one
 *     caller's load can take (a load, or with distributed single-flight a wait for another node, a lease plus a
 *     remote call, and then a load of its own), and a quarter more, so that load's own error reaches its joiners
 * @param reservation how long an L1 reservation lives: a little past the longest load, so an abandoned one
 *     disappears on its own
 * @param records how long invalidation records are kept: they must outlive any load that could still store, so
 *     twice the load timeout
 */
record Timeouts(long load, long remote, long degradedMaxAge, long join, long reservation, long records) {

  static Timeouts of(TieredCacheConfig config) {
    long load = config.loadTimeout().toNanos();
    long remote = config.remoteTimeout().toNanos();
    long budget = config.protection().distributedSingleFlight() ? 2 * load + 2 * remote : load;
    long join = budget + budget / 4;
    return new Timeouts(load, remote, config.degradedMaxAge().toNanos(), join, join + load / 4, 2 * load);
  }
}
