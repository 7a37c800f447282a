package io.lamina.warming;

import io.github.resilience4j.ratelimiter.RateLimiter;
import io.github.resilience4j.ratelimiter.RateLimiterConfig;
import java.time.Duration;

/**
 * The Resilience4j limiter a warm-up asks before each source batch, one permit per key.
 *
 * <p>Permits are handed out in slices of about 20 ms ({@code keysPerSecond / 50} permits each, the slice
 * stretched so the rate is exact), and a batch never asks for more than one slice. So a one-second window sees
 * the limit plus what straddles its edges: a slice, and batches granted in one slice that reach the source in the
 * next (their L2 read took longer) — 2 % per slice. Small slices keep those bursts small at the price of smaller
 * bulk loads (20 keys per call at 1,000 keys/s).
 */
final class SourceRateLimit {

  private SourceRateLimit() {}

  static RateLimiter of(String cache, int keysPerSecond, Duration maxWait) {
    int perSlice = Math.max(1, keysPerSecond / 50);
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
