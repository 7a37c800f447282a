package io.lamina.spring.actuate;

import static org.assertj.core.api.Assertions.assertThat;

import io.lamina.spi.InvalidationBus;
import io.lamina.spring.autoconfigure.LaminaAutoConfiguration;
import io.lamina.testkit.bus.InMemoryBusNetwork;
import java.time.Duration;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.health.contributor.CompositeHealthContributor;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The coherence health part follows the bus: UP while heard, DEGRADED while cut off, UP again after. */
class CoherenceHealthTest {

  @Configuration(proxyBeanMethods = false)
  static class Bus {
    final InMemoryBusNetwork network = new InMemoryBusNetwork();

    @Bean
    InMemoryBusNetwork.Connection myBus() {
      return network.connect();
    }
  }

  @Test
  void coherence_isDegradedWhileTheBusIsCut() {
    new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(LaminaAutoConfiguration.class))
        .withUserConfiguration(Bus.class)
        .withPropertyValues("lamina.local-only=true", "lamina.caches.products.l1.maximum-size=10",
            "lamina.bus.heartbeat-interval=50ms",
            "lamina.bus.detection-time=300ms")
        .run(ctx -> {
          assertThat(ctx).hasSingleBean(InvalidationBus.class);
          HealthIndicator coherence = (HealthIndicator) ((CompositeHealthContributor)
              ctx.getBean("laminaHealthContributor")).getContributor("coherence");
          InMemoryBusNetwork.Connection bus = ctx.getBean(InMemoryBusNetwork.Connection.class);
          Awaitility.await().atMost(Duration.ofSeconds(5))
              .until(() -> coherence.health().getStatus().equals(Status.UP));

          bus.faults().cut(true);
          Awaitility.await().atMost(Duration.ofSeconds(5))
              .until(() -> coherence.health().getStatus().equals(CoherenceHealthIndicator.DEGRADED));
          assertThat(coherence.health().getDetails()).extractingByKey("products")
              .asString().contains("trusted=false");

          bus.faults().cut(false);
          Awaitility.await().atMost(Duration.ofSeconds(5))
              .until(() -> coherence.health().getStatus().equals(Status.UP));
        });
  }
}
