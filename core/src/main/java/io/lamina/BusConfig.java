package io.lamina;

import java.time.Duration;

/**
 * Tunables of the invalidation bus, shared by every cache of a namespace on one bus; immutable.
 *
 * @param heartbeatInterval how often a node announces itself and its last sequence (H)
 * @param detectionTime how long a node may go without hearing itself or a live peer before it stops trusting
 *     its local tier (D); at least twice the heartbeat interval, at most one minute
 * @param batchSize the most invalidations of one cache sent in one message
 * @param batchDelay how long an invalidation waits for company when the node sent one less than this long ago (a
 *     lone invalidation after a quiet spell is sent at once)
 */
public record BusConfig(Duration heartbeatInterval, Duration detectionTime, int batchSize, Duration batchDelay) {

  private static final BusConfig DEFAULTS =
      new BusConfig(Duration.ofMillis(500), Duration.ofSeconds(2), 512, Duration.ofNanos(200_000));

  /** Checks every value, naming the one that is wrong. */
  public BusConfig {
    TieredCacheConfig.checkPositive("bus.heartbeatInterval", heartbeatInterval);
    TieredCacheConfig.checkPositive("bus.detectionTime", detectionTime);
    TieredCacheConfig.checkPositive("bus.batchSize", batchSize);
    TieredCacheConfig.checkPositive("bus.batchDelay", batchDelay);
    if (detectionTime.compareTo(heartbeatInterval.multipliedBy(2)) < 0) {
      throw new IllegalArgumentException("bus.detectionTime (" + detectionTime
          + ") must be at least twice bus.heartbeatInterval (" + heartbeatInterval + ")");
    }
    if (detectionTime.compareTo(Duration.ofMinutes(1)) > 0) {
      throw new IllegalArgumentException("bus.detectionTime (" + detectionTime + ") must not exceed one minute:"
          + " it bounds how long a node may serve stale local entries after a fault");
    }
    if (batchDelay.compareTo(heartbeatInterval) >= 0) {
      throw new IllegalArgumentException("bus.batchDelay (" + batchDelay + ") must be shorter than"
          + " bus.heartbeatInterval (" + heartbeatInterval + ")");
    }
  }

  /** Heartbeats every 500 ms, detection within 2 s, batches of up to 512 gathered for 200 µs. */
  public static BusConfig ofDefaults() {
    return DEFAULTS;
  }
}
