package io.lamina.bus;

import io.lamina.spi.InvalidationBus;
import io.lamina.testkit.bus.BusContract;
import io.lamina.testkit.server.NatsServer;
import io.lamina.testkit.server.TcpProxy;
import io.lamina.testkit.server.WithNats;
import io.nats.client.Connection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;

/**
 * The bus contract over NATS in JetStream mode (a replaying channel). Connections go through a TCP proxy, and
 * breaking them cuts the proxy: the server and its stream stay up, as in a network blip.
 */
@WithNats(jetStream = true)
class NatsJetStreamBusIT extends BusContract {

  private final TcpProxy proxy;
  private final List<Connection> connections = new ArrayList<>();

  NatsJetStreamBusIT(NatsServer nats) {
    this.proxy = new TcpProxy(nats.port());
  }

  @AfterEach
  void close() throws InterruptedException {
    for (Connection c : connections) {
      c.close();
    }
    proxy.close();
  }

  @Override
  protected InvalidationBus connect() {
    try {
      Connection c = NatsInvalidationBus.connect("nats://127.0.0.1:" + proxy.port());
      connections.add(c);
      return NatsInvalidationBus.withJetStream(c, Duration.ofMinutes(1));
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  protected void breakConnections() {
    proxy.cut();
    proxy.heal();
  }
}
