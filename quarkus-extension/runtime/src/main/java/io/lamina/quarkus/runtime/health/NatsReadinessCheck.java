package io.lamina.quarkus.runtime.health;

import io.lamina.Redact;
import io.lamina.quarkus.runtime.LaminaCaches;
import io.nats.client.Connection;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

/**
 * {@code Lamina NATS}: UP while the bus's NATS connection is connected, DOWN otherwise (reconnecting, closed),
 * with its state — and DOWN with {@code status=CONNECTING} while a bus started without NATS
 * ({@code quarkus.lamina.bus.nats.required=false}) has not connected yet. Registered only when the application
 * has jnats.
 */
@Readiness
@ApplicationScoped
public class NatsReadinessCheck implements HealthCheck {

  /** The {@code status} of a bus still connecting in the background. */
  public static final String CONNECTING = "CONNECTING";

  private final LaminaCaches caches;

  @Inject
  NatsReadinessCheck(LaminaCaches caches) {
    this.caches = caches;
  }

  @Override
  public HealthCheckResponse call() {
    HealthCheckResponseBuilder b = HealthCheckResponse.named("Lamina NATS");
    if (caches.natsConnecting()) {
      return b.down().withData("status", CONNECTING).withData("detail", "not connected yet: connecting in the"
          + " background (quarkus.lamina.bus.nats.required=false); caches bypass L1 and read Redis meanwhile")
          .build();
    }
    if (!(caches.natsConnection() instanceof Connection connection)) {
      return b.up().withData("used", false).build();
    }
    Connection.Status status = connection.getStatus();
    b.status(status == Connection.Status.CONNECTED).withData("status", status.name());
    String server = connection.getConnectedUrl();
    if (server != null) {
      b.withData("server", Redact.userInfo(server)); // no credentials in health data
    }
    return b.build();
  }
}
