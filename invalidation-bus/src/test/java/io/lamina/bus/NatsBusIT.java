package io.lamina.bus;

import io.lamina.spi.InvalidationBus;
import io.lamina.testkit.bus.BusContract;
import io.lamina.testkit.server.NatsServer;
import io.lamina.testkit.server.WithNats;
import io.nats.client.Connection;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/** The bus contract over a real nats-server. */
@WithNats
class NatsBusIT extends BusContract {

  private final NatsServer nats;
  private final List<Connection> connections = new ArrayList<>();

  NatsBusIT(NatsServer nats) {
    this.nats = nats;
  }

  @BeforeEach
  void ensureRunning() {
    if (!nats.toString().contains("external")) {
      try {
        nats.info();
      } catch (IllegalStateException down) {
        nats.restart();
      }
    }
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
      return NatsInvalidationBus.of(c);
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
