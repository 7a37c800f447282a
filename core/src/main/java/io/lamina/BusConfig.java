package io.lamina;

import java.time.Duration;
import java.util.Objects;

/**
 * Tunables of the invalidation bus, shared by every cache of a namespace on one bus; immutable.
 *
 * @param heartbeatInterval how often a node announces itself and its last sequence (H)
 * @param detectionTime how long a node may go without hearing itself or a live peer before it stops trusting
 *     its local tier (D); at least twice the heartbeat interval, at most one minute
 * @param batchSize the most invalidations of one cache sent in one message
 * @param batchDelay how long an invalidation waits for company when the node sent one less than this long ago (a
 *     lone invalidation after a quiet spell is sent at once)
 * @param stalenessBound the delivery bound B: a node serves an L1 entry older than B only while it can prove it
 *     has applied every invalidation of a write that completed more than B ago (each node's heartbeats
 *     acknowledge the others' heartbeats, which times every node's receive path on its own clock); while it
 *     cannot — its delivery thread is starved, a peer or the server is slow — it serves only entries younger than
 *     B and reads the rest from L2. At least twice the heartbeat interval (proof takes about two heartbeats).
 */
public record BusConfig(Duration heartbeatInterval, Duration detectionTime, int batchSize, Duration batchDelay,
    Duration stalenessBound) {

  private static final BusConfig DEFAULTS = new BusConfig(Duration.ofMillis(100), Duration.ofSeconds(2), 512,
      Duration.ofNanos(200_000), Duration.ofMillis(500));

  /** The same with the staleness bound at five heartbeat intervals (the defaults' ratio). */
  public BusConfig(Duration heartbeatInterval, Duration detectionTime, int batchSize, Duration batchDelay) {
    this(heartbeatInterval, detectionTime, batchSize, batchDelay,
        Objects.requireNonNull(heartbeatInterval, "bus.heartbeatInterval").multipliedBy(5));
  }

  /**
   * Checks every value.
   *
   * @throws InvalidSettingException naming the value that is wrong, and the one it contradicts if any
   */
  public BusConfig {
    TieredCacheConfig.checkPositive("bus.heartbeatInterval", heartbeatInterval);
    TieredCacheConfig.checkPositive("bus.detectionTime", detectionTime);
    TieredCacheConfig.checkPositive("bus.batchSize", batchSize);
    TieredCacheConfig.checkPositive("bus.batchDelay", batchDelay);
    TieredCacheConfig.checkPositive("bus.stalenessBound", stalenessBound);
    if (stalenessBound.compareTo(heartbeatInterval.multipliedBy(2)) < 0) {
      throw new InvalidSettingException("bus.stalenessBound", stalenessBound, "must be at least twice {0} ("
          + heartbeatInterval + "), since proving delivery takes about two heartbeats", "bus.heartbeatInterval");
    }
    if (detectionTime.compareTo(heartbeatInterval.multipliedBy(2)) < 0) {
      throw new InvalidSettingException("bus.detectionTime", detectionTime, "must be at least twice {0} ("
          + heartbeatInterval + ")", "bus.heartbeatInterval");
    }
    if (detectionTime.compareTo(Duration.ofMinutes(1)) > 0) {
      throw new InvalidSettingException("bus.detectionTime", detectionTime, "must not exceed one minute (it bounds"
          + " how long a node may serve stale local entries after a fault)");
    }
    if (batchDelay.compareTo(heartbeatInterval) >= 0) {
      throw new InvalidSettingException("bus.batchDelay", batchDelay, "must be shorter than {0} ("
          + heartbeatInterval + ")", "bus.heartbeatInterval");
    }
  }

  /**
   * Heartbeats every 100 ms, detection within 2 s, batches of up to 512 gathered for 200 µs, staleness bound
   * 500 ms.
   */
  public static BusConfig ofDefaults() {
    return DEFAULTS;
  }
}
