package io.lamina.bus;

import io.lamina.spi.InvalidationBus;
import io.lamina.testkit.server.NatsServer;
import io.lamina.testkit.server.RedisServer;
import io.lamina.testkit.server.ServerHandle;
import io.nats.client.Connection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.redisson.api.RedissonClient;

/**
 * The servers of a multi-node bus test — one Redis and, for the NATS buses, one NATS — and each node's own
 * connections to them; closes everything it opened, last first.
 */
final class BusCluster implements AutoCloseable {

  enum Transport { NATS, JETSTREAM, REDIS }

  /** One node's connections: its Redis client (L2, roster, and the Redis bus) and its bus. */
  record Wiring(RedissonClient redis, InvalidationBus bus) {}

  final RedisServer redis;
  final @Nullable NatsServer nats;
  private final Transport transport;
  private final List<AutoCloseable> resources = new ArrayList<>();

  BusCluster(Transport transport) {
    this.transport = transport;
    redis = RedisServer.start();
    resources.add(redis);
    nats = transport == Transport.REDIS ? null : NatsServer.start(transport == Transport.JETSTREAM);
    if (nats != null) {
      resources.add(nats);
    }
  }

  /** Opens a new node's connections. */
  Wiring connect() throws Exception {
    RedissonClient client = RedisPubSubBusIT.client(redis);
    resources.add(client::shutdown);
    if (nats == null) {
      return new Wiring(client, RedisPubSubInvalidationBus.of(client));
    }
    Connection connection = NatsInvalidationBus.connect(nats.url());
    resources.add(connection::close);
    return new Wiring(client, transport == Transport.JETSTREAM
        ? NatsInvalidationBus.withJetStream(connection, Duration.ofMinutes(1)) : NatsInvalidationBus.of(connection));
  }

  /**
   * Stops {@code server} (SIGSTOP) {@code after} from now and resumes it {@code length} later: the fault's own
   * schedule, run beside the workload.
   */
  static CompletableFuture<Void> pauseLater(ServerHandle server, Duration after, Duration length) {
    return CompletableFuture.runAsync(() -> {
      try {
        TimeUnit.NANOSECONDS.sleep(after.toNanos());
        server.pause();
        TimeUnit.NANOSECONDS.sleep(length.toNanos());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } finally {
        server.resume();
      }
    });
  }

  /** A Redis client for inspecting L2, closed with the rest. */
  RedissonClient inspector() {
    RedissonClient client = RedisPubSubBusIT.client(redis);
    resources.add(client::shutdown);
    return client;
  }

  @Override
  public void close() throws Exception {
    for (int i = resources.size() - 1; i >= 0; i--) {
      resources.get(i).close();
    }
  }
}
