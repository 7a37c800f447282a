package io.lamina.spring.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import io.lamina.spi.InvalidationBus;
import io.lamina.testkit.bus.InMemoryBusNetwork;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.redisson.Redisson;
import org.redisson.api.RedissonClient;
import org.redisson.config.Config;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The INFO lines that say what Lamina set up: Redis (redacted), the bus, each cache. No servers. */
@ExtendWith(OutputCaptureExtension.class)
class StartupSummaryTest {

  private final ApplicationContextRunner runner = new ApplicationContextRunner()
      .withConfiguration(AutoConfigurations.of(LaminaAutoConfiguration.class));

  @Test
  void localOnly_saysSo_andListsEachCachesSettings(CapturedOutput output) {
    runner.withPropertyValues("lamina.local-only=true", "lamina.namespace=shop",
            "lamina.caches.products.l1.maximum-size=500",
            "lamina.caches.products.l1.expire-after-write=2m", "lamina.caches.prices.put-mode=store",
            "lamina.dynamic-caches=false")
        .run(ctx -> {
          assertThat(ctx).hasNotFailed();
          assertThat(output).contains("Lamina: namespace 'shop', Redis none (lamina.local-only=true: caches live only"
              + " in this instance's heap),"
              + " bus none (other instances' L1 entries expire on their own), 2 cache(s) built, no others"
              + " (lamina.dynamic-caches=false)");
          assertThat(output).contains("Lamina cache 'products': L1 500 entries for 2m, no L2, cache-aside,"
              + " put invalidates, load-timeout 10s");
          assertThat(output).contains("Lamina cache 'prices': L1 10000 entries for 5m, no L2, cache-aside,"
              + " put stores");
        });
  }

  @Configuration(proxyBeanMethods = false)
  static class RedisWithPasswordAndBus {
    final InMemoryBusNetwork network = new InMemoryBusNetwork();

    @Bean(destroyMethod = "shutdown")
    RedissonClient myRedisson() throws IOException {
      Config config = new Config();
      config.setLazyInitialization(true);
      config.useSingleServer().setAddress("redis://:s3cret@127.0.0.1:" + closedPort()).setDatabase(2)
          .setRetryAttempts(0);
      return Redisson.create(config);
    }

    @Bean
    InvalidationBus myBus() {
      return network.connect();
    }
  }

  @Test
  void withRedisAndABus_showsTheAddressWithoutItsPassword_theBusAndTheCodec(CapturedOutput output) {
    String key = Base64.getEncoder().encodeToString(new byte[32]);
    runner.withUserConfiguration(RedisWithPasswordAndBus.class)
        .withPropertyValues("lamina.namespace=shop", "lamina.caches.products.l2.ttl=30m",
            "lamina.caches.names.codec=string", "lamina.bus.auth-keys=" + key)
        .run(ctx -> {
          assertThat(ctx).hasNotFailed();
          assertThat(output).containsPattern("Lamina: namespace 'shop', Redis redis://\\*\\*\\*@127\\.0\\.0\\.1:\\d+"
              + " \\(database 2\\), bus memory \\(channel of namespace 'shop', messages authenticated\\),"
              + " 2 cache\\(s\\) built, others created on first use \\(at most 100\\)");
          assertThat(output).contains("Lamina cache 'products': L1 10000 entries for 5m, L2 for 30m (codec fory)");
          assertThat(output).contains("Lamina cache 'names': L1 10000 entries for 5m, L2 for 1h (codec string)");
          assertThat(output).doesNotContain("s3cret");
        });
  }

  @Test
  void natsNotRequired_saysTheBusConnectsInTheBackground_andCachesStartDegraded(CapturedOutput output)
      throws IOException {
    runner.withPropertyValues("lamina.local-only=true", "lamina.bus.type=nats", "lamina.bus.nats.required=false",
            "lamina.bus.nats.url=nats://me:pw-1234@127.0.0.1:" + closedPort())
        .run(ctx -> {
          assertThat(ctx).hasNotFailed();
          assertThat(output).containsPattern("bus nats at nats://\\*\\*\\*@127\\.0\\.0\\.1:\\d+, connecting in the"
              + " background \\(lamina.bus.nats.required=false: caches start degraded, reading L2, until it"
              + " connects\\)").doesNotContain("pw-1234");
        });
  }

  @Test
  void durations_readAsAUserWritesThem() {
    assertThat(StartupSummary.duration(Duration.ofMinutes(90))).isEqualTo("90m");
    assertThat(StartupSummary.duration(Duration.ofHours(2))).isEqualTo("2h");
    assertThat(StartupSummary.duration(Duration.ofMillis(1500))).isEqualTo("1500ms");
    assertThat(StartupSummary.duration(Duration.ZERO)).isEqualTo("0s");
  }

  private static int closedPort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }
}
