package io.lamina.bus;

import io.lamina.spi.InvalidationBus;
import io.lamina.testkit.bus.BusContract;
import io.lamina.testkit.server.NatsServer;
import io.lamina.testkit.server.WithNats;
import io.nats.client.Connection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;

/**
 * The bus contract over NATS in JetStream mode, where breaking the connections kills the server and restarts it
 * (its file-backed stream survives): subscribers, including ones that had received nothing yet, resume from the
 * stream without losing what was published after the restart.
 */
@WithNats(jetStream = true)
class NatsJetStreamRestartBusIT extends BusContract {

  private final NatsServer nats;
  private final List<Connection> connections = new ArrayList<>();

  NatsJetStreamRestartBusIT(NatsServer nats) {
    this.nats = nats;
  }

  @AfterEach
  void close() throws InterruptedException {
    for (Connection c : connections) {
      c.close();
    }
  }

  @Override
  protected InvalidationBus connect() {
    try {
      Connection c = NatsInvalidationBus.connect(nats.url());
      connections.add(c);
      return NatsInvalidationBus.withJetStream(c, Duration.ofMinutes(1));
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  protected void breakConnections() {
    nats.kill();
    nats.restart();
  }
}
