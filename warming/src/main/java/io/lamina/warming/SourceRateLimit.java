package io.lamina.warming;

import io.github.resilience4j.ratelimiter.RateLimiter;
import io.github.resilience4j.ratelimiter.RateLimiterConfig;
import java.time.Duration;

/**
 * The Resilience4j limiter a warm-up asks before each source batch, one permit per key.
 *
 * <p>Permits are handed out in slices of about 50 ms ({@code keysPerSecond / 20} permits each, the slice
 * stretched so the rate is exact), so a burst at the end of one second and the start of the next adds at most one
 * slice: no one-second window sees more than the limit plus 5 %. A batch never asks for more than one slice.
 */
final class SourceRateLimit {

  private SourceRateLimit() {}

  static RateLimiter of(String cache, int keysPerSecond, Duration maxWait) {
    int perSlice = Math.max(1, keysPerSecond / 20);
    long sliceNanos = Math.max(1_000L, perSlice * 1_000_000_000L / keysPerSecond);
    RateLimiterConfig config = RateLimiterConfig.custom()
        .limitForPeriod(perSlice)
        .limitRefreshPeriod(Duration.ofNanos(sliceNanos))
        .timeoutDuration(maxWait)
        .build();
    return RateLimiter.of("lamina-warming-" + cache, config);
  }

  /** The largest batch {@code limiter} can grant at once. */
  static int slice(RateLimiter limiter) {
    return Math.max(1, limiter.getRateLimiterConfig().getLimitForPeriod());
  }
}
