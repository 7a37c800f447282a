package io.lamina.bus;

import static org.assertj.core.api.Assertions.assertThat;

import io.lamina.TieredCache;
import io.lamina.testkit.server.NatsServer;
import io.lamina.testkit.server.RedisServer;
import io.nats.client.Connection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.redisson.api.RedissonClient;

/**
 * Writers, readers and invalidators on three nodes for 30 seconds over NATS and Redis (see {@link Workload}): no
 * read staler than {@link #STALE_BOUND}; afterwards every node's read equals L2 equals the source.
 */
class SoakIT {

  private static final Duration RUN = Duration.ofSeconds(Integer.getInteger("lamina.soak.seconds", 30));
  private static final Duration STALE_BOUND = Duration.ofSeconds(2);

  @Test
  @Timeout(180)
  void threeNodes_underLoad_stayCoherent_andConverge() throws Exception {
    Workload workload = new Workload(50, STALE_BOUND);
    try (RedisServer redis = RedisServer.start(); NatsServer nats = NatsServer.start(false)) {
      List<AutoCloseable> closing = new ArrayList<>();
      List<TieredCache<String, String>> nodes = new ArrayList<>();
      try {
        for (int i = 0; i < 3; i++) {
          RedissonClient client = RedisPubSubBusIT.client(redis);
          Connection connection = NatsInvalidationBus.connect(nats.url());
          closing.add(client::shutdown);
          closing.add(connection::close);
          nodes.add(Nodes.node("soak", "soak", client, NatsInvalidationBus.of(connection), workload::load,
              Duration.ofMillis(200), Duration.ofSeconds(1)));
        }
        Nodes.awaitTrusted(nodes, Duration.ofSeconds(10));
        workload.run(nodes, RUN);
        RedissonClient inspector = RedisPubSubBusIT.client(redis);
        closing.add(inspector::shutdown);
        workload.assertConverged(nodes, inspector, "soak", "soak");
        System.out.printf("soak %ds: %s, gaps %s%n", RUN.toSeconds(), workload, nodes.get(1).coherence().gaps());
      } finally {
        nodes.forEach(TieredCache::close);
        for (AutoCloseable c : closing) {
          c.close();
        }
      }
      assertThat(workload.violations()).as("reads staler than %s", STALE_BOUND).isZero();
      assertThat(workload.reads()).isGreaterThan(1000);
    }
  }
}
