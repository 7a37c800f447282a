package io.lamina.bus;

import static org.assertj.core.api.Assertions.assertThat;

import io.lamina.BusConfig;
import io.lamina.KeyCodecs;
import io.lamina.TieredCache;
import io.lamina.TieredCacheBuilder;
import io.lamina.ValueCodecs;
import io.lamina.redis.RedissonRemoteTier;
import io.lamina.TieredCacheConfig;
import io.lamina.spi.InvalidationBus;
import io.lamina.testkit.server.NatsServer;
import io.lamina.testkit.server.RedisServer;
import io.nats.client.Connection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.redisson.api.RedissonClient;

/**
 * The staleness bound under a saturated CPU: three nodes in one JVM, four closed-loop readers each (twelve busy
 * threads on a machine of two cores), two writers, writes with and without {@code versionOf}. No fault: every
 * read must be within the staleness bound B of every write that had returned before it began — the bound holds
 * exactly when the service is busiest, because a node whose deliveries fall behind serves no L1 entry older than
 * B.
 */
@Timeout(120)
class SaturatedIT {

  enum Transport { NATS, REDIS }

  private static final Duration H = Duration.ofMillis(50);
  private static final Duration D = Duration.ofSeconds(1);
  private static final Duration B = Duration.ofMillis(250);

  private final List<AutoCloseable> resources = new ArrayList<>();
  private final List<TieredCache<String, String>> nodes = new ArrayList<>();
  private final Workload workload = new Workload(200, B);

  @AfterEach
  void close() throws Exception {
    nodes.forEach(TieredCache::close);
    for (int i = resources.size() - 1; i >= 0; i--) {
      resources.get(i).close();
    }
  }

  @ParameterizedTest(name = "{0}, versioned puts {1}")
  @CsvSource({"NATS, true", "NATS, false", "REDIS, true", "REDIS, false"})
  void closedLoopReaders_onEveryCore_noReadIsStalerThanTheBound(Transport transport, boolean versioned)
      throws Exception {
    RedisServer redis = RedisServer.start();
    resources.add(redis);
    NatsServer nats = null;
    if (transport == Transport.NATS) {
      nats = NatsServer.start(false);
      resources.add(nats);
    }
    for (int i = 0; i < 3; i++) {
      RedissonClient client = RedisPubSubBusIT.client(redis);
      resources.add(client::shutdown);
      InvalidationBus bus;
      if (nats != null) {
        Connection connection = NatsInvalidationBus.connect(nats.url());
        resources.add(connection::close);
        bus = NatsInvalidationBus.of(connection);
      } else {
        bus = RedisPubSubInvalidationBus.of(client);
      }
      TieredCacheBuilder<String, String> builder = TieredCache.<String, String>newBuilder("items")
          .remote(RedissonRemoteTier.of(client))
          .keyCodec(KeyCodecs.strings())
          .valueCodec(ValueCodecs.utf8())
          .loader(workload::load)
          .bus(bus)
          .busConfig(new BusConfig(H, D, 256, Duration.ofNanos(200_000), B))
          .config(TieredCacheConfig.custom().namespace("saturated").remoteTimeout(Duration.ofSeconds(2)).build());
      if (versioned) {
        builder.versionOf(v -> Long.parseLong(v.substring(v.indexOf('@') + 1)));
      }
      nodes.add(builder.build());
    }
    Nodes.awaitTrusted(nodes, Duration.ofSeconds(10));
    workload.versionedPuts(versioned);
    workload.closedLoop(4);
    workload.run(nodes, Duration.ofSeconds(5));
    long behind = nodes.stream().mapToLong(n -> n.coherence().behindTransitions()).sum();
    long lagMax = nodes.stream().mapToLong(n -> n.coherence().deliveryLagMaxMicros()).max().orElse(0) / 1_000;
    System.out.printf("saturated over %s (versioned puts %s): %s; %.0f reads/s; fell behind %d times, delivery lag"
        + " max %d ms%n", transport, versioned, workload, workload.reads() / 5.0, behind, lagMax);
    assertThat(workload.violations()).as("reads staler than B = %s", B).isZero();
    assertThat(workload.reads()).isGreaterThan(10_000);
  }
}
