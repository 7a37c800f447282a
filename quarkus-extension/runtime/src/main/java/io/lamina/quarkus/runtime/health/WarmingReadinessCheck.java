package io.lamina.quarkus.runtime.health;

import io.lamina.quarkus.runtime.LaminaWarmups;
import io.lamina.warming.WarmupProgress;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

/**
 * {@code Lamina warming}: DOWN while the warm-up of a cache with {@code warming.readiness=true} has not ended,
 * UP once each has (done, or stopped at its deadline — so never longer than the longest deadline) and when no
 * cache holds readiness. The data holds each warm-up's progress line and the caches still holding.
 */
@Readiness
@ApplicationScoped
public class WarmingReadinessCheck implements HealthCheck {

  private final LaminaWarmups warmups;

  @Inject
  WarmingReadinessCheck(LaminaWarmups warmups) {
    this.warmups = warmups;
  }

  @Override
  public HealthCheckResponse call() {
    HealthCheckResponseBuilder b = HealthCheckResponse.named("Lamina warming");
    for (Map.Entry<String, WarmupProgress> e : warmups.progress().entrySet()) {
      b.withData(e.getKey(), e.getValue().describe());
    }
    List<String> holding = warmups.holding();
    if (holding.isEmpty()) {
      return b.up().build();
    }
    return b.down().withData("holding", String.join(", ", holding)).build();
  }
}
