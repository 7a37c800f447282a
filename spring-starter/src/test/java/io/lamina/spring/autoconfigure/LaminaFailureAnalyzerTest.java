package io.lamina.spring.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.cache.autoconfigure.CacheAutoConfiguration;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;

/**
 * Lamina's start-up failures read as Boot's "APPLICATION FAILED TO START" report, with a description and an action
 * naming the properties, and no stack trace: unreachable NATS and Redis, no Redis without lamina.local-only and
 * lamina.local-only beside Redis settings (this analyzer), a bad lamina.* value and
 * a value-types check failure (Boot's analyzer of invalid property values). No servers: the ports are closed.
 */
@ExtendWith(OutputCaptureExtension.class)
class LaminaFailureAnalyzerTest {

  @Configuration(proxyBeanMethods = false)
  @ImportAutoConfiguration({LaminaAutoConfiguration.class, CacheAutoConfiguration.class})
  static class App {}

  private static void start(Class<?> app, String... properties) {
    new SpringApplicationBuilder(app).web(WebApplicationType.NONE).properties(properties).run().close();
  }

  @Test
  void unreachableNats_isReportedWithTheUrlRedacted_andWhatToDo(CapturedOutput output) throws IOException {
    int port = closedPort();
    assertThatThrownBy(() -> start(App.class, "lamina.local-only=true", "lamina.bus.type=nats",
        "lamina.bus.nats.url=nats://me:pw-1234@127.0.0.1:" + port));
    assertThat(output).contains("APPLICATION FAILED TO START")
        .contains("Description:").contains("Lamina could not start: NATS cannot be reached at"
            + " lamina.bus.nats.url=nats://***@127.0.0.1:" + port)
        .contains("Action:").contains("correct lamina.bus.nats.url").contains("lamina.bus.type=redis")
        .contains("set lamina.bus.nats.required=false")
        .doesNotContain("pw-1234").doesNotContain("\tat io.lamina");
  }

  @Test
  void unreachableRedis_namesTheAddress_andTheWayToStartWithoutIt() throws IOException {
    int port = closedPort();
    new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(LaminaAutoConfiguration.class))
        .withPropertyValues("lamina.redis.address=redis://127.0.0.1:" + port, "lamina.redis.connect-timeout=300ms")
        .run(ctx -> {
          FailureAnalysis analysis = new LaminaFailureAnalyzer().analyze(ctx.getStartupFailure());
          assertThat(analysis).isNotNull();
          assertThat(analysis.getDescription())
              .startsWith("Lamina could not start: Redis cannot be reached (lamina.redis.address=redis://127.0.0.1:"
                  + port + ")");
          assertThat(analysis.getAction()).contains("lamina.redis.address").contains("lamina.redis.required=false");
        });
  }

  @Test
  void aBadLaminaValue_isReportedUnderItsProperty(CapturedOutput output) {
    assertThatThrownBy(() -> start(App.class, "lamina.local-only=true", "lamina.caches.products.l1.ttl-jitter=2"));
    assertThat(output).contains("APPLICATION FAILED TO START")
        .contains("Invalid value '2' for configuration property 'lamina.caches.products.l1.ttl-jitter'")
        .contains("Action:").doesNotContain("\tat io.lamina");
  }

  @Test
  void noRedisSettings_andNotLocalOnly_failsSayingWhatToSet(CapturedOutput output) {
    assertThatThrownBy(() -> start(App.class, "lamina.bus.type=none"));
    assertThat(output).contains("APPLICATION FAILED TO START")
        .contains("Lamina could not start: Lamina found no Redis settings (lamina.redis.*, spring.data.redis.* or a"
            + " RedissonClient bean): set lamina.redis.address (or spring.data.redis.*) for a shared L2, or"
            + " lamina.local-only=true for caches that live only in this JVM's heap.")
        .contains("Action:").contains("lamina.redis.cluster.nodes").contains("spring.data.redis.url")
        .contains("set lamina.local-only=true").doesNotContain("\tat io.lamina");
  }

  @Test
  void localOnlyWithLaminasRedisSettings_failsNamingBoth(CapturedOutput output) {
    assertThatThrownBy(() -> start(App.class, "lamina.local-only=true",
        "lamina.redis.address=redis://127.0.0.1:6379"));
    assertThat(output).contains("APPLICATION FAILED TO START")
        .contains("Lamina could not start: lamina.local-only=true contradicts lamina.redis.address")
        .contains("Action:").contains("Remove lamina.redis.address").contains("or remove lamina.local-only")
        .doesNotContain("\tat io.lamina");
  }

  @Configuration(proxyBeanMethods = false)
  @Import({App.class, ValueTypesCheckTest.App.class, ValueTypesCheckTest.CatalogBean.class,
      LaminaAutoConfigurationTest.UserRedisson.class})
  static class UnregisteredValueType {}

  @Test
  void aValueTypesCheckFailure_namesTheSettingAndTheClass(CapturedOutput output) {
    assertThatThrownBy(() -> start(UnregisteredValueType.class, "lamina.bus.type=none"));
    assertThat(output).contains("APPLICATION FAILED TO START")
        .contains("for configuration property 'lamina.caches.products.value-types'")
        .contains(ValueTypesCheckTest.Product.class.getName())
        .contains("Action:").doesNotContain("\tat io.lamina");
  }

  private static int closedPort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }
}
