package io.lamina.quarkus.runtime.health;

import io.lamina.CoherenceStats;
import io.lamina.quarkus.LaminaCache;
import io.lamina.quarkus.runtime.LaminaCaches;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

/**
 * {@code Lamina coherence}: whether this instance trusts its L1. Always UP — a degraded instance still answers
 * correctly, from Redis and the source, only slower — with {@code status=DEGRADED}, the reason and the caches
 * that bypass L1 in the data while it cannot prove it hears every invalidation; {@code status=TRUSTED} otherwise.
 */
@Readiness
@ApplicationScoped
public class CoherenceReadinessCheck implements HealthCheck {

  /** The data value of an instance whose caches bypass L1. */
  public static final String DEGRADED = "DEGRADED";

  private final LaminaCaches caches;

  @Inject
  CoherenceReadinessCheck(LaminaCaches caches) {
    this.caches = caches;
  }

  @Override
  public HealthCheckResponse call() {
    HealthCheckResponseBuilder b = HealthCheckResponse.named("Lamina coherence").up();
    List<String> untrusted = new ArrayList<>();
    for (String name : caches.names()) {
      LaminaCache cache = caches.get(name);
      if (cache == null) {
        continue;
      }
      CoherenceStats c = cache.tiered().coherence();
      if (!c.trusted()) {
        untrusted.add(name);
      }
      b.withData(name, "trusted=" + c.trusted() + ", gaps=" + c.gaps() + ", flushes=" + c.flushes());
    }
    String bus = caches.busName();
    b.withData("bus", bus == null ? "none" : bus);
    if (untrusted.isEmpty()) {
      return b.withData("status", "TRUSTED").build();
    }
    return b.withData("status", DEGRADED)
        .withData("reason", "L1 bypassed until the invalidation bus is proven live: " + String.join(", ", untrusted))
        .build();
  }
}
