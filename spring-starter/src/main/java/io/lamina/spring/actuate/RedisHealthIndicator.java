package io.lamina.spring.actuate;

import io.lamina.Redact;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import org.redisson.api.RedissonClient;
import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;

/**
 * UP when the L2 Redis answers a command within the timeout, DOWN otherwise. The probe is an {@code EXISTS} on a
 * key Lamina never writes, so it costs one round trip and changes nothing.
 */
public final class RedisHealthIndicator extends AbstractHealthIndicator {

  private final RedissonClient client;
  private final Duration timeout;

  /** Checks {@code client}, waiting at most {@code timeout}. */
  public RedisHealthIndicator(RedissonClient client, Duration timeout) {
    super("Redis health check failed");
    this.client = Objects.requireNonNull(client, "client");
    this.timeout = Objects.requireNonNull(timeout, "timeout");
  }

  @Override
  protected void doHealthCheck(Health.Builder builder) throws Exception {
    long start = System.nanoTime();
    try {
      client.getBucket("lamina:~health").isExistsAsync().toCompletableFuture()
          .get(timeout.toNanos(), TimeUnit.NANOSECONDS);
    } catch (Exception e) { // the error detail shows addresses without their user-info
      builder.down().withDetail("error", Redact.userInfo(e));
      return;
    }
    builder.up().withDetail("latencyMicros", TimeUnit.NANOSECONDS.toMicros(System.nanoTime() - start));
  }
}
