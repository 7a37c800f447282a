package io.lamina.spring.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import io.lamina.spi.RemoteTier;
import io.lamina.spring.LaminaCaches;
import io.lamina.spring.RedissonConfigCustomizer;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.redisson.api.RedissonClient;
import org.redisson.config.Config;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Where the starter's Redisson client connects: one server, a Cluster or a Sentinel master from
 * {@code lamina.redis.*}, else from {@code spring.data.redis.*}; each conflict or bad value fails start-up naming
 * its property. Without any of them, start-up fails unless {@code lamina.local-only=true}. No servers: the client is
 * created lazily ({@code lamina.redis.required=false}).
 */
class RedisTopologyTest {

  private final ApplicationContextRunner runner = new ApplicationContextRunner()
      .withConfiguration(AutoConfigurations.of(LaminaAutoConfiguration.class))
      .withUserConfiguration(Captured.class)
      .withPropertyValues("lamina.redis.required=false", "lamina.bus.type=none");

  @Configuration(proxyBeanMethods = false)
  static class Captured {
    static final AtomicReference<Config> CONFIG = new AtomicReference<>();

    @Bean
    RedissonConfigCustomizer capture() {
      return CONFIG::set;
    }
  }

  private static String yaml() throws Exception {
    return Captured.CONFIG.get().toYAML();
  }

  private static String failure(Throwable t) {
    StringBuilder all = new StringBuilder();
    for (Throwable c = t; c != null; c = c.getCause()) {
      all.append(c.getMessage()).append('\n');
    }
    return all.toString();
  }

  @Test
  void clusterNodes_makeAClusterClient() {
    runner.withPropertyValues("lamina.redis.cluster.nodes=redis://127.0.0.1:7001,redis://127.0.0.1:7002",
        "lamina.redis.password=secret").run(ctx -> {
          assertThat(ctx).hasNotFailed().hasSingleBean(RemoteTier.class);
          assertThat(Captured.CONFIG.get().isClusterConfig()).isTrue();
          assertThat(yaml()).contains("redis://127.0.0.1:7001").contains("redis://127.0.0.1:7002");
        });
  }

  @Test
  void sentinelMasterAndNodes_makeASentinelClient() {
    runner.withPropertyValues("lamina.redis.sentinel.master=orders",
        "lamina.redis.sentinel.nodes[0]=redis://127.0.0.1:26379",
        "lamina.redis.sentinel.nodes[1]=redis://127.0.0.1:26380", "lamina.redis.sentinel.password=s3",
        "lamina.redis.database=2").run(ctx -> {
          assertThat(ctx).hasNotFailed();
          assertThat(Captured.CONFIG.get().isSentinelConfig()).isTrue();
          assertThat(yaml()).contains("masterName: \"orders\"").contains("redis://127.0.0.1:26380")
              .contains("database: 2");
        });
  }

  @Test
  void sentinelNodesWithoutMaster_failNamingTheMasterProperty() {
    runner.withPropertyValues("lamina.redis.sentinel.nodes=redis://127.0.0.1:26379")
        .run(ctx -> assertThat(failure(ctx.getStartupFailure())).contains("lamina.redis.sentinel.master"));
  }

  @Test
  void sentinelMasterWithoutNodes_failsNamingTheNodesProperty() {
    runner.withPropertyValues("lamina.redis.sentinel.master=orders")
        .run(ctx -> assertThat(failure(ctx.getStartupFailure())).contains("lamina.redis.sentinel.nodes"));
  }

  @Test
  void twoWaysAtOnce_failNamingBoth() {
    runner.withPropertyValues("lamina.redis.address=redis://127.0.0.1:6379",
        "lamina.redis.cluster.nodes=redis://127.0.0.1:7001")
        .run(ctx -> assertThat(failure(ctx.getStartupFailure())).contains("lamina.redis.cluster.nodes")
            .contains("lamina.redis.address"));
  }

  @Test
  void aNodeWithoutScheme_failsNamingItsIndex() {
    runner.withPropertyValues("lamina.redis.cluster.nodes=redis://127.0.0.1:7001,127.0.0.1:7002")
        .run(ctx -> assertThat(failure(ctx.getStartupFailure())).contains("lamina.redis.cluster.nodes[1]")
            .contains("redis://"));
  }

  @Test
  void mixedTls_failsNamingTheNodes() {
    runner.withPropertyValues("lamina.redis.cluster.nodes=rediss://127.0.0.1:7001,redis://127.0.0.1:7002")
        .run(ctx -> assertThat(failure(ctx.getStartupFailure())).contains("lamina.redis.cluster.nodes")
            .contains("rediss://"));
  }

  @Test
  void clusterWithADatabase_failsNamingTheDatabase() {
    runner.withPropertyValues("lamina.redis.cluster.nodes=redis://127.0.0.1:7001", "lamina.redis.database=3")
        .run(ctx -> assertThat(failure(ctx.getStartupFailure())).contains("lamina.redis.database"));
  }

  @Test
  void withoutLaminaSettings_springDataRedisHostAndPortAreUsed() {
    runner.withPropertyValues("spring.data.redis.host=10.1.2.3", "spring.data.redis.port=6380",
        "spring.data.redis.ssl.enabled=true", "spring.data.redis.database=4").run(ctx -> {
          assertThat(ctx).hasNotFailed().hasSingleBean(RemoteTier.class);
          assertThat(Captured.CONFIG.get().isSingleConfig()).isTrue();
          assertThat(yaml()).contains("rediss://10.1.2.3:6380").contains("database: 4");
        });
  }

  @Test
  void withoutLaminaSettings_springDataRedisClusterAndSentinelAreUsed() {
    runner.withPropertyValues("spring.data.redis.cluster.nodes=127.0.0.1:7001,127.0.0.1:7002").run(ctx -> {
      assertThat(Captured.CONFIG.get().isClusterConfig()).isTrue();
      assertThat(yaml()).contains("redis://127.0.0.1:7002");
    });
    runner.withPropertyValues("spring.data.redis.sentinel.master=m", "spring.data.redis.sentinel.nodes=127.0.0.1:26379")
        .run(ctx -> {
          assertThat(Captured.CONFIG.get().isSentinelConfig()).isTrue();
          assertThat(yaml()).contains("redis://127.0.0.1:26379");
        });
  }

  @Test
  void laminaSettings_winOverSpringDataRedis() {
    runner.withPropertyValues("lamina.redis.address=redis://127.0.0.1:6390", "spring.data.redis.host=10.9.9.9")
        .run(ctx -> assertThat(yaml()).contains("redis://127.0.0.1:6390").doesNotContain("10.9.9.9"));
  }

  @Test
  void noRedisSettingsAtAll_failStartUpSayingWhatToSet() {
    runner.run(ctx -> assertThat(failure(ctx.getStartupFailure())).contains("Lamina found no Redis settings")
        .contains("lamina.redis.address").contains("spring.data.redis.*").contains("lamina.local-only=true"));
  }

  @Test
  void localOnly_keepsCachesLocal() {
    runner.withPropertyValues("lamina.local-only=true", "lamina.caches.a.l1.maximum-size=10").run(ctx -> {
      assertThat(ctx).hasNotFailed().doesNotHaveBean(RemoteTier.class).doesNotHaveBean(RedissonClient.class);
      assertThat(ctx.getBean(LaminaCaches.class).get("a").inspect("x").l2()).as("no remote tier").isNull();
    });
  }

  @Test
  void localOnlyWithLaminasRedisSettings_failsNamingBothAsContradictory() {
    runner.withPropertyValues("lamina.local-only=true", "lamina.redis.address=redis://127.0.0.1:6379")
        .run(ctx -> assertThat(failure(ctx.getStartupFailure()))
            .contains("lamina.local-only=true contradicts lamina.redis.address"));
    runner.withPropertyValues("lamina.local-only=true", "lamina.redis.cluster.nodes[0]=redis://127.0.0.1:7001")
        .run(ctx -> assertThat(failure(ctx.getStartupFailure()))
            .contains("lamina.local-only=true contradicts lamina.redis.cluster.nodes"));
  }

  @Test
  void localOnlyWithSpringDataRedis_leavesThoseSettingsToTheApplication() {
    runner.withPropertyValues("lamina.local-only=true", "spring.data.redis.host=10.1.2.3")
        .run(ctx -> assertThat(ctx).hasNotFailed().doesNotHaveBean(RemoteTier.class)
            .doesNotHaveBean(RedissonClient.class));
  }
}
