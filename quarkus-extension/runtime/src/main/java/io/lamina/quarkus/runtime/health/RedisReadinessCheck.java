package io.lamina.quarkus.runtime.health;

import io.lamina.Redact;
import io.lamina.quarkus.runtime.LaminaCaches;
import io.lamina.quarkus.runtime.LaminaConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.concurrent.TimeUnit;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;
import org.redisson.api.RedissonClient;

/**
 * {@code Lamina Redis}: UP when L2's Redis answers within the Redis timeout ({@code EXISTS} on a key Lamina never
 * writes: one round trip, nothing changed), DOWN otherwise; UP with {@code used=false} when caches are local.
 */
@Readiness
@ApplicationScoped
public class RedisReadinessCheck implements HealthCheck {

  private final LaminaCaches caches;
  private final LaminaConfig config;

  @Inject
  RedisReadinessCheck(LaminaCaches caches, LaminaConfig config) {
    this.caches = caches;
    this.config = config;
  }

  @Override
  public HealthCheckResponse call() {
    HealthCheckResponseBuilder b = HealthCheckResponse.named("Lamina Redis");
    RedissonClient client = caches.redisson();
    if (client == null) {
      return b.up().withData("used", false).build();
    }
    long start = System.nanoTime();
    try {
      client.getBucket("lamina:~health").isExistsAsync().toCompletableFuture()
          .get(config.redis().timeout().toNanos(), TimeUnit.NANOSECONDS);
      return b.up().withData("latencyMicros", TimeUnit.NANOSECONDS.toMicros(System.nanoTime() - start)).build();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return b.down().withData("error", "interrupted").build();
    } catch (Exception e) {
      return b.down().withData("error", Redact.userInfo(e)).build();
    }
  }
}
