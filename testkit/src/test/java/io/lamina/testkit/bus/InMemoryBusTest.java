package io.lamina.testkit.bus;

import io.lamina.spi.InvalidationBus;
import java.util.ArrayList;
import java.util.List;

class InMemoryBusTest extends BusContract {

  private final InMemoryBusNetwork network = new InMemoryBusNetwork();
  private final List<InMemoryBusNetwork.Connection> connections = new ArrayList<>();

  @Override
  protected InvalidationBus connect() {
    InMemoryBusNetwork.Connection c = network.connect();
    connections.add(c);
    return c;
  }

  @Override
  protected void breakConnections() {
    connections.forEach(c -> c.reportGap("broken"));
  }
}
