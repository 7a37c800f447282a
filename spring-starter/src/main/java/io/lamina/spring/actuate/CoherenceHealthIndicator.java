package io.lamina.spring.actuate;

import io.lamina.CoherenceStats;
import io.lamina.TieredCache;
import io.lamina.spring.LaminaCaches;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;

/**
 * Whether this instance trusts its L1: UP when every cache's invalidation stream is proven live (or there is no
 * bus), {@link #DEGRADED} while some cache bypasses L1 because it cannot prove it hears every invalidation.
 *
 * <p>A degraded instance still answers correctly (from Redis and the source), only slower, so DEGRADED is not in
 * Boot's default status order and does not turn the aggregate DOWN; add it to
 * {@code management.endpoint.health.status.order} to make it count.
 */
public final class CoherenceHealthIndicator implements HealthIndicator {

  /** The status of an instance whose caches bypass L1. */
  public static final Status DEGRADED = new Status("DEGRADED", "L1 bypassed until the invalidation bus is proven live");

  private final LaminaCaches caches;

  /** Reports on every cache of {@code caches}. */
  public CoherenceHealthIndicator(LaminaCaches caches) {
    this.caches = Objects.requireNonNull(caches, "caches");
  }

  @Override
  public Health health() {
    boolean trusted = true;
    Map<String, Object> details = new LinkedHashMap<>();
    for (String name : caches.names()) {
      TieredCache<String, Object> cache = caches.get(name);
      if (cache == null) {
        continue;
      }
      CoherenceStats c = cache.coherence();
      trusted &= c.trusted();
      details.put(name, Map.of("trusted", c.trusted(), "gaps", c.gaps(), "flushes", c.flushes(),
          "degradedTransitions", c.degradedTransitions()));
    }
    return Health.status(trusted ? Status.UP : DEGRADED).withDetails(details).build();
  }
}
