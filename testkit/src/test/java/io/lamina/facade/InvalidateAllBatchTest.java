package io.lamina.facade;

import static org.assertj.core.api.Assertions.assertThat;

import io.lamina.BusConfig;
import io.lamina.CoherenceStats;
import io.lamina.KeyCodecs;
import io.lamina.TieredCache;
import io.lamina.TieredCacheConfig;
import io.lamina.ValueCodecs;
import io.lamina.testkit.bus.InMemoryBusNetwork;
import io.lamina.testkit.memory.InMemoryLocalTier;
import io.lamina.testkit.memory.InMemoryRemoteTier;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.RepeatedTest;

/**
 * {@code invalidateAll} after a quiet spell sends its ids as one batch: the first id goes at once, on the
 * writer's thread, and must not leave alone ahead of the others.
 */
class InvalidateAllBatchTest {

  private final InMemoryBusNetwork network = new InMemoryBusNetwork();
  private final InMemoryRemoteTier remote = new InMemoryRemoteTier();
  private final List<TieredCache<String, String>> nodes = new ArrayList<>();

  @AfterEach
  void close() {
    nodes.forEach(TieredCache::close);
  }

  @RepeatedTest(20)
  void theIdsOfOneInvalidateAll_leaveInOneBatch() {
    for (int i = 0; i < 2; i++) {
      nodes.add(TieredCache.<String, String>newBuilder("items")
          .config(TieredCacheConfig.custom().namespace("batch").build())
          .local(InMemoryLocalTier.provider())
          .remote(remote)
          .keyCodec(KeyCodecs.strings())
          .valueCodec(ValueCodecs.utf8())
          .loader(k -> "v")
          .bus(network.connect())
          .busConfig(BusConfig.ofDefaults())
          .build());
    }
    Awaitility.await().atMost(Duration.ofSeconds(10))
        .until(() -> nodes.stream().allMatch(n -> n.coherence().trusted()));
    TieredCache<String, String> writer = nodes.get(0);
    List<String> keys = new ArrayList<>();
    for (int i = 0; i < 100; i++) {
      keys.add("k" + i);
    }
    CoherenceStats before = writer.coherence();

    writer.invalidateAll(keys);

    Awaitility.await().atMost(Duration.ofSeconds(10))
        .until(() -> writer.coherence().invalidationsSent() - before.invalidationsSent() == 100);
    assertThat(writer.coherence().batchesSent() - before.batchesSent()).isEqualTo(1);
  }
}
