package io.lamina.spring.actuate;

import io.lamina.Redact;
import io.nats.client.Connection;
import java.util.Objects;
import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;

/**
 * UP while the bus's NATS connection is connected, DOWN otherwise (reconnecting, closed), with its state and its
 * server (without user-info).
 */
public final class NatsHealthIndicator extends AbstractHealthIndicator {

  private final Connection connection;

  /** Reports {@code connection}'s state. */
  public NatsHealthIndicator(Connection connection) {
    super("NATS health check failed");
    this.connection = Objects.requireNonNull(connection, "connection");
  }

  @Override
  protected void doHealthCheck(Health.Builder builder) {
    Connection.Status status = connection.getStatus();
    builder.status(status == Connection.Status.CONNECTED ? org.springframework.boot.health.contributor.Status.UP
            : org.springframework.boot.health.contributor.Status.DOWN)
        .withDetail("status", status.name());
    String server = connection.getConnectedUrl();
    if (server != null) {
      builder.withDetail("server", Redact.userInfo(server)); // no credentials in health details
    }
  }
}
