package io.lamina;

import java.time.Duration;

/**
 * Tunables of the write-behind queue ({@link WriteStrategy#WRITE_BEHIND}); immutable.
 *
 * @param queueCapacity the most keys waiting to be written; a {@code put} beyond it fails with
 *     {@link WriteBehindQueueFullException} (a put to a key already queued replaces its value and always fits)
 * @param batchSize the most keys handed to {@link CacheWriter#writeAll} at once
 * @param flushInterval how long the flusher waits to gather a batch after the first queued write
 * @param maxAttempts how many times a batch is tried before its writes are reported as failed
 * @param retryBackoff the wait before the first retry; doubled per attempt up to {@code maxRetryBackoff}
 * @param maxRetryBackoff the longest wait between retries
 * @param closeTimeout how long {@code close()} waits for the queue to drain
 */
public record WriteBehindConfig(
    int queueCapacity,
    int batchSize,
    Duration flushInterval,
    int maxAttempts,
    Duration retryBackoff,
    Duration maxRetryBackoff,
    Duration closeTimeout) {

  private static final WriteBehindConfig DEFAULTS = new WriteBehindConfig(
      10_000, 100, Duration.ofMillis(50), 5, Duration.ofMillis(100), Duration.ofSeconds(5), Duration.ofSeconds(30));

  /**
   * Checks every value.
   *
   * @throws InvalidSettingException naming the value that is wrong, and the one it contradicts if any
   */
  public WriteBehindConfig {
    TieredCacheConfig.checkPositive("writeBehind.queueCapacity", queueCapacity);
    TieredCacheConfig.checkPositive("writeBehind.batchSize", batchSize);
    TieredCacheConfig.checkPositive("writeBehind.flushInterval", flushInterval);
    TieredCacheConfig.checkPositive("writeBehind.maxAttempts", maxAttempts);
    TieredCacheConfig.checkPositive("writeBehind.retryBackoff", retryBackoff);
    TieredCacheConfig.checkPositive("writeBehind.maxRetryBackoff", maxRetryBackoff);
    TieredCacheConfig.checkPositive("writeBehind.closeTimeout", closeTimeout);
    if (retryBackoff.compareTo(maxRetryBackoff) > 0) {
      throw new InvalidSettingException("writeBehind.retryBackoff", retryBackoff, "must not exceed {0} ("
          + maxRetryBackoff + ")", "writeBehind.maxRetryBackoff");
    }
  }

  /** 10,000 keys, batches of 100 gathered for 50 ms, 5 attempts backing off from 100 ms to 5 s, 30 s to close. */
  public static WriteBehindConfig ofDefaults() {
    return DEFAULTS;
  }
}
