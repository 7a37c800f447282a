package io.lamina.spring.actuate;

import io.lamina.Redact;
import io.lamina.bus.BackgroundNatsBus;
import io.nats.client.Connection;
import java.util.Objects;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;

/**
 * UP while the bus's NATS connection is connected, DOWN otherwise (reconnecting, closed), with its state and its
 * server (without user-info). For a bus that connects in the background ({@code lamina.bus.nats.required=false}),
 * DOWN with the status {@code NOT_CONNECTED} until the first connection is made: meanwhile every cache on the bus
 * is degraded and reads from L2.
 */
public final class NatsHealthIndicator extends AbstractHealthIndicator {

  private final Supplier<@Nullable Connection> connection;
  private final @Nullable String server;

  /** Reports {@code connection}'s state. */
  public NatsHealthIndicator(Connection connection) {
    this(fixed(connection), null);
  }

  /**
   * Reports the state of {@code bus}'s connection once made, and NOT_CONNECTED before.
   *
   * @param server where the bus connects, shown while it is not connected (user-info is removed)
   */
  public NatsHealthIndicator(BackgroundNatsBus bus, String server) {
    this(Objects.requireNonNull(bus, "bus")::connection, Redact.userInfo(Objects.requireNonNull(server, "server")));
  }

  private NatsHealthIndicator(Supplier<@Nullable Connection> connection, @Nullable String server) {
    super("NATS health check failed");
    this.connection = connection;
    this.server = server;
  }

  private static Supplier<@Nullable Connection> fixed(Connection connection) {
    Objects.requireNonNull(connection, "connection");
    return () -> connection;
  }

  @Override
  protected void doHealthCheck(Health.Builder builder) {
    Connection c = connection.get();
    if (c == null) {
      builder.status(Status.DOWN).withDetail("status", "NOT_CONNECTED")
          .withDetail("server", String.valueOf(server))
          .withDetail("connecting", "in the background (lamina.bus.nats.required=false); caches read from L2 until"
              + " connected");
      return;
    }
    Connection.Status status = c.getStatus();
    builder.status(status == Connection.Status.CONNECTED ? Status.UP : Status.DOWN)
        .withDetail("status", status.name());
    String url = c.getConnectedUrl();
    if (url != null) {
      builder.withDetail("server", Redact.userInfo(url)); // no credentials in health details
    }
  }
}
