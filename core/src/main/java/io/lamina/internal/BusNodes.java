package io.lamina.internal;

import io.lamina.BusConfig;
import io.lamina.Ticker;
import io.lamina.spi.InvalidationBus;
import io.lamina.spi.Roster;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * One {@link BusNode} per (bus instance, namespace): the caches of a namespace that share a bus instance share
 * one channel, one node id and one sequence. A bus instance stands for one connection, so separate instances
 * in one JVM are separate nodes (as tests use them).
 */
final class BusNodes {

  private static final Map<InvalidationBus, Map<String, BusNode>> NODES = new IdentityHashMap<>();

  private BusNodes() {}

  static synchronized BusNode join(InvalidationBus bus, String namespace, BusConfig config, Ticker ticker,
      @Nullable Roster roster, BusMember member) {
    BusNode node = NODES.computeIfAbsent(bus, b -> new HashMap<>())
        .computeIfAbsent(namespace, ns -> new BusNode(bus, ns, config, ticker, roster));
    node.register(member);
    return node;
  }

  static void leave(InvalidationBus bus, String namespace, BusNode node, BusMember member) {
    boolean last;
    synchronized (BusNodes.class) {
      last = node.unregister(member);
      if (last) {
        Map<String, BusNode> byNamespace = NODES.get(bus);
        if (byNamespace != null) {
          byNamespace.remove(namespace, node);
          if (byNamespace.isEmpty()) {
            NODES.remove(bus);
          }
        }
      }
    }
    if (last) {
      node.close();
    }
  }
}
