package io.lamina.quarkus.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.quarkus.runtime.configuration.ConfigurationException;
import io.quarkus.runtime.configuration.DurationConverter;
import io.quarkus.runtime.configuration.MemorySize;
import io.quarkus.runtime.configuration.MemorySizeConverter;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.redisson.config.Config;

/**
 * {@code quarkus.lamina.redis.cluster.nodes} and {@code quarkus.lamina.redis.sentinel.*} make Cluster and Sentinel
 * clients; conflicts and bad values are reported under the property that set them.
 */
class RedisTopologyConfigTest {

  private static LaminaConfig.Redis redis(String... pairs) {
    Map<String, String> map = new HashMap<>();
    for (int i = 0; i < pairs.length; i += 2) {
      map.put(pairs[i], pairs[i + 1]);
    }
    return new SmallRyeConfigBuilder()
        .withConverter(Duration.class, 200, new DurationConverter())
        .withConverter(MemorySize.class, 200, new MemorySizeConverter())
        .withMapping(LaminaConfig.class)
        .withSources(new PropertiesConfigSource(map, "test", 100))
        .build().getConfigMapping(LaminaConfig.class).redis();
  }

  @Test
  void clusterNodes_makeAClusterConfig() throws Exception {
    LaminaConfig.Redis r = redis("quarkus.lamina.redis.cluster.nodes", "redis://127.0.0.1:7001,redis://127.0.0.1:7002");
    assertThat(RedisClients.configured(r)).isTrue();
    Config config = RedisClients.config(r);
    assertThat(config.isClusterConfig()).isTrue();
    assertThat(config.toYAML()).contains("redis://127.0.0.1:7002");
  }

  @Test
  void sentinel_makesASentinelConfig() throws Exception {
    Config config = RedisClients.config(redis("quarkus.lamina.redis.sentinel.master", "orders",
        "quarkus.lamina.redis.sentinel.nodes", "redis://127.0.0.1:26379,redis://127.0.0.1:26380",
        "quarkus.lamina.redis.sentinel.password", "s3"));
    assertThat(config.isSentinelConfig()).isTrue();
    assertThat(config.toYAML()).contains("masterName: \"orders\"").contains("redis://127.0.0.1:26380");
  }

  @Test
  void sentinelNodesWithoutMaster_areReportedUnderTheMasterProperty() {
    assertThatThrownBy(() -> RedisClients.config(redis("quarkus.lamina.redis.sentinel.nodes", "redis://h:26379")))
        .isInstanceOf(ConfigurationException.class).hasMessageContaining("quarkus.lamina.redis.sentinel.master");
  }

  @Test
  void twoWays_areReportedNamingBoth() {
    assertThatThrownBy(() -> RedisClients.config(redis("quarkus.lamina.redis.address", "redis://h:6379",
        "quarkus.lamina.redis.cluster.nodes", "redis://h:7001")))
        .isInstanceOf(ConfigurationException.class).hasMessageContaining("quarkus.lamina.redis.cluster.nodes")
        .hasMessageContaining("quarkus.lamina.redis.address");
  }

  @Test
  void badNode_isReportedWithItsIndex_andMixedTlsIsRefused() {
    assertThatThrownBy(() -> RedisClients.config(redis("quarkus.lamina.redis.cluster.nodes",
        "redis://h:7001,h:7002"))).hasMessageContaining("quarkus.lamina.redis.cluster.nodes[1]");
    assertThatThrownBy(() -> RedisClients.config(redis("quarkus.lamina.redis.cluster.nodes",
        "rediss://h:7001,redis://h:7002"))).hasMessageContaining("rediss://");
  }

  @Test
  void clusterWithADatabase_isReportedUnderTheDatabase() {
    assertThatThrownBy(() -> RedisClients.config(redis("quarkus.lamina.redis.cluster.nodes", "redis://h:7001",
        "quarkus.lamina.redis.database", "2"))).hasMessageContaining("quarkus.lamina.redis.database");
  }
}
