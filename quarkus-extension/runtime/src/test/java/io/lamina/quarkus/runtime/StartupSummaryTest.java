package io.lamina.quarkus.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.redisson.config.Config;

/** How the start-up summary shows Redis and durations (the whole summary is checked in the deployment tests). */
class StartupSummaryTest {

  @Test
  void redisAddress_isShownWithoutItsPassword() {
    Config single = new Config();
    single.useSingleServer().setAddress("redis://:s3cret@127.0.0.1:6390").setDatabase(3);
    assertThat(StartupSummary.describe(single)).isEqualTo("redis://***@127.0.0.1:6390 (database 3)");
    Config cluster = new Config();
    cluster.useClusterServers().addNodeAddress("redis://u:p@10.0.0.1:7000", "redis://10.0.0.2:7000");
    assertThat(StartupSummary.describe(cluster))
        .isEqualTo("cluster [redis://***@10.0.0.1:7000, redis://10.0.0.2:7000]");
  }

  @Test
  void busConnectingInTheBackground_saysCachesStartDegraded() {
    String connecting = StartupSummary.lines("shop", null, "nats", "nats://127.0.0.1:4222", true, false, Map.of(),
        Map.of()).get(0);
    assertThat(connecting).isEqualTo("Lamina: namespace 'shop', Redis none (caches are local to this instance),"
        + " bus nats at nats://127.0.0.1:4222 (channel of namespace 'shop', messages not authenticated), not"
        + " connected yet: caches start degraded (L1 bypassed, reads go to Redis) until it connects in the"
        + " background and they hear the cluster, 0 cache(s) built");
    String connected = StartupSummary.lines("shop", null, "nats", "nats://127.0.0.1:4222", false, false, Map.of(),
        Map.of()).get(0);
    assertThat(connected).doesNotContain("degraded");
  }

  @Test
  void durations_readAsAUserWritesThem() {
    assertThat(StartupSummary.duration(Duration.ofMinutes(90))).isEqualTo("90m");
    assertThat(StartupSummary.duration(Duration.ofHours(2))).isEqualTo("2h");
    assertThat(StartupSummary.duration(Duration.ofMillis(1500))).isEqualTo("1500ms");
  }
}
