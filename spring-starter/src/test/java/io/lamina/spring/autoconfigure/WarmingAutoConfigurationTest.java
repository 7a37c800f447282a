package io.lamina.spring.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import io.lamina.CacheLoader;
import io.lamina.TieredCache;
import io.lamina.spi.RemoteTier;
import io.lamina.spring.CacheKeyConverter;
import io.lamina.spring.LaminaCaches;
import io.lamina.spring.LaminaWarmupSource;
import io.lamina.spring.LaminaWarmups;
import io.lamina.spring.actuate.LaminaEndpoint;
import io.lamina.testkit.memory.InMemoryRemoteTier;
import io.lamina.warming.HotKeyRefresher;
import io.lamina.warming.WarmingMetrics;
import io.lamina.warming.WarmupProgress;
import io.lamina.warming.WarmupState;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.autoconfigure.availability.ApplicationAvailabilityAutoConfiguration;
import org.springframework.boot.availability.ApplicationAvailability;
import org.springframework.boot.availability.AvailabilityChangeEvent;
import org.springframework.boot.availability.ReadinessState;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.ApplicationListener;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** lamina.caches.<name>.warming.*: warmers built from properties and beans, readiness held until warm. */
class WarmingAutoConfigurationTest {

  /** Released by the tests that hold the source; open by default. */
  static volatile CountDownLatch sourceGate = new CountDownLatch(0);

  private final ApplicationContextRunner runner = new ApplicationContextRunner()
      .withConfiguration(AutoConfigurations.of(LaminaAutoConfiguration.class,
          ApplicationAvailabilityAutoConfiguration.class))
      .withPropertyValues("lamina.local-only=true");

  @Configuration(proxyBeanMethods = false)
  static class Catalog {
    @Bean
    LaminaWarmupSource bestSellers() {
      return new LaminaWarmupSource() {
        @Override
        public String cache() {
          return "products";
        }

        @Override
        public Iterable<String> keys() {
          return List.of("10", "11", "12");
        }

        @Override
        public CacheLoader<String, Object> loader() {
          return id -> {
            sourceGate.await();
            return "product " + id;
          };
        }
      };
    }
  }

  private static WarmupProgress awaitEnd(LaminaWarmups warmups, String cache) throws Exception {
    Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> warmups.get(cache) != null);
    return warmups.get(cache).await();
  }

  @Test
  void withoutWarming_nothingRuns_andReadinessIsNotHeld() {
    runner.withPropertyValues("lamina.caches.products.l1.maximum-size=10").run(ctx -> {
      LaminaWarmups warmups = ctx.getBean(LaminaWarmups.class);
      assertThat(warmups.caches()).isEmpty();
      assertThat(warmups.readinessGate()).isDone();
    });
  }

  @Test
  void keysFromPropertiesAndBeans_areWarmedAtStart_withTheBeansLoader() {
    runner.withUserConfiguration(Catalog.class)
        .withPropertyValues("lamina.caches.products.warming.enabled=true", "lamina.caches.products.warming.keys=1,2")
        .run(ctx -> {
          WarmupProgress end = awaitEnd(ctx.getBean(LaminaWarmups.class), "products");
          assertThat(end.state()).isEqualTo(WarmupState.DONE);
          assertThat(end.total()).isEqualTo(5);
          assertThat(end.loaded()).isEqualTo(5);
          TieredCache<String, Object> cache = ctx.getBean(LaminaCaches.class).get("products");
          assertThat(cache.getIfPresent("11")).isEqualTo("product 11");
          assertThat(cache.getIfPresent("1")).isEqualTo("product 1");
        });
  }

  @Test
  void badOrMissingSettings_failTheStart_namingTheProperty() {
    runner.withPropertyValues("lamina.caches.products.warming.enabled=true",
        "lamina.caches.products.warming.keys=1", "lamina.caches.products.warming.batch-size=0").run(ctx ->
        assertThat(ctx).getFailure().rootCause().isInstanceOf(InvalidConfigurationPropertyValueException.class)
            .hasMessage("Property lamina.caches.products.warming.batch-size with value '0' is invalid: must be"
                + " within [1, 10000]"));
    runner.withPropertyValues("lamina.caches.products.warming.enabled=true", "lamina.caches.products.warming.keys=1",
        "lamina.defaults.warming.concurrency=65").run(ctx ->
        assertThat(ctx).getFailure().rootCause().isInstanceOf(InvalidConfigurationPropertyValueException.class)
            .hasMessage("Property lamina.defaults.warming.concurrency with value '65' is invalid: must be"
                + " within [1, 64]"));
    runner.withPropertyValues("lamina.caches.products.warming.enabled=true", "lamina.caches.products.warming.keys=1",
        "lamina.defaults.warming.deadline=1s", "lamina.caches.products.warming.deadline=5ms").run(ctx ->
        assertThat(ctx).getFailure().rootCause().isInstanceOf(InvalidConfigurationPropertyValueException.class)
            .hasMessageStartingWith("Property lamina.caches.products.warming.deadline with value 'PT0.005S' is"
                + " invalid: must be at least 10 ms"));
    runner.withPropertyValues("lamina.caches.products.warming.enabled=true").run(ctx ->
        assertThat(ctx).getFailure().rootCause().hasMessageContaining("lamina.caches.products.warming.enabled")
            .hasMessageContaining("LaminaWarmupSource"));
    runner.withPropertyValues("lamina.caches.products.warming.enabled=true",
        "lamina.caches.products.warming.recorded-hot-keys=100").run(ctx ->
        assertThat(ctx).getFailure().rootCause().hasMessageContaining("recorded-hot-keys"));
  }

  @Test
  void readiness_isRefusingWhileTheWarmUpRuns_andAcceptingOnceItEnds() throws Exception {
    sourceGate = new CountDownLatch(1);
    try {
      runner.withUserConfiguration(Catalog.class)
          .withPropertyValues("lamina.caches.products.warming.enabled=true",
              "lamina.caches.products.warming.readiness=true")
          .run(ctx -> {
            ApplicationAvailability availability = ctx.getBean(ApplicationAvailability.class);
            AvailabilityChangeEvent.publish(ctx, ReadinessState.ACCEPTING_TRAFFIC); // as Boot does when ready
            assertThat(availability.getReadinessState()).isEqualTo(ReadinessState.REFUSING_TRAFFIC);
            sourceGate.countDown();
            Awaitility.await().atMost(Duration.ofSeconds(10))
                .until(() -> availability.getReadinessState() == ReadinessState.ACCEPTING_TRAFFIC);
            assertThat(ctx.getBean(LaminaWarmups.class).get("products").progress().state())
                .isEqualTo(WarmupState.DONE);
          });
    } finally {
      sourceGate.countDown();
    }
  }

  @Test
  void aHungSource_holdsReadinessNoLongerThanTheDeadline() {
    sourceGate = new CountDownLatch(1);
    try {
      runner.withUserConfiguration(Catalog.class)
          .withPropertyValues("lamina.caches.products.warming.enabled=true",
              "lamina.caches.products.warming.readiness=true", "lamina.caches.products.warming.deadline=500ms")
          .run(ctx -> {
            ApplicationAvailability availability = ctx.getBean(ApplicationAvailability.class);
            AvailabilityChangeEvent.publish(ctx, ReadinessState.ACCEPTING_TRAFFIC);
            Awaitility.await().atMost(Duration.ofSeconds(5))
                .until(() -> availability.getReadinessState() == ReadinessState.ACCEPTING_TRAFFIC);
            assertThat(ctx.getBean(LaminaWarmups.class).get("products").progress().state())
                .isEqualTo(WarmupState.TIMED_OUT);
          });
    } finally {
      sourceGate.countDown();
    }
  }

  @Test
  void progress_isInTheMetersAndTheEndpoint() {
    runner.withUserConfiguration(Catalog.class)
        .withBean(MeterRegistry.class, SimpleMeterRegistry::new)
        .withPropertyValues("lamina.caches.products.warming.enabled=true")
        .run(ctx -> {
          awaitEnd(ctx.getBean(LaminaWarmups.class), "products");
          MeterRegistry registry = ctx.getBean(MeterRegistry.class);
          assertThat(registry.get(WarmingMetrics.KEYS).tags("cache", "products", "outcome", "done").gauge().value())
              .isEqualTo(3);
          LaminaEndpoint endpoint = new LaminaEndpoint(ctx.getBean(LaminaCaches.class),
              CacheKeyConverter.standard(), ctx.getBean(LaminaWarmups.class));
          @SuppressWarnings("unchecked")
          Map<String, Object> warming = (Map<String, Object>) endpoint.caches().get("warming");
          @SuppressWarnings("unchecked")
          Map<String, Object> products = (Map<String, Object>) ((Map<String, Object>) warming.get("caches"))
              .get("products");
          assertThat(products).containsEntry("state", "DONE").containsEntry("done", 3L).containsEntry("total", 3L);
        });
  }

  @Test
  void hotKeys_areRefreshedAheadOfExpiry_withTheBeansLoader() {
    runner.withUserConfiguration(Catalog.class)
        .withBean(RemoteTier.class, InMemoryRemoteTier::new)
        .withPropertyValues("lamina.local-only=false", "lamina.caches.products.l2.ttl=2s",
            "lamina.caches.products.l2.ttl-jitter=0",
            "lamina.caches.products.protection.hot-keys=8", "lamina.caches.products.protection.hot-key-window=1s",
            "lamina.caches.products.warming.refresh.enabled=true",
            "lamina.caches.products.warming.refresh.period=200ms",
            "lamina.caches.products.warming.refresh.ahead=1500ms")
        .run(ctx -> {
          TieredCache<String, Object> cache = ctx.getBean(LaminaCaches.class).get("products");
          assertThat(cache.get("10", id -> "product " + id)).isEqualTo("product 10");
          HotKeyRefresher refresher = ctx.getBean(LaminaWarmups.class).refreshers().get("products");
          Awaitility.await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(5)).until(() -> {
            for (int i = 0; i < 20; i++) {
              cache.getIfPresent("10"); // a key that stays hot
            }
            return refresher.refreshed() > 0;
          });
          assertThat(refresher.failures()).isZero();
        });
  }

  @Test
  void refreshWithoutHotKeyTracking_failsTheStart_namingTheProperty() {
    runner.withUserConfiguration(Catalog.class)
        .withPropertyValues("lamina.caches.products.warming.refresh.enabled=true").run(ctx ->
            assertThat(ctx).getFailure().rootCause()
                .hasMessageContaining("lamina.caches.products.protection.hot-keys"));
  }

  @Test
  void refreshAheadNotShorterThanTheL2Ttl_failsTheStart_namingBothProperties() {
    runner.withUserConfiguration(Catalog.class)
        .withPropertyValues("lamina.caches.products.l2.ttl=1m", "lamina.caches.products.protection.hot-keys=8",
            "lamina.caches.products.warming.refresh.enabled=true", "lamina.defaults.warming.refresh.ahead=90s")
        .run(ctx -> assertThat(ctx).getFailure().rootCause()
            .isInstanceOf(InvalidConfigurationPropertyValueException.class)
            .hasMessage("Property lamina.defaults.warming.refresh.ahead with value 'PT1M30S' is invalid: must be"
                + " shorter than the L2 TTL, lamina.caches.products.l2.ttl (PT1M), or every hot key would be"
                + " reloaded every round"));
  }

  /** A whole Boot application: Boot itself announces ACCEPTING_TRAFFIC; the warm-up holds it back. */
  @Configuration(proxyBeanMethods = false)
  @EnableAutoConfiguration
  static class App {
    static final List<ReadinessState> SEEN = new CopyOnWriteArrayList<>();

    @Bean
    ApplicationListener<AvailabilityChangeEvent<ReadinessState>> readinessLog() {
      return event -> SEEN.add(event.getState());
    }
  }

  @Test
  void inABootApplication_readinessGoesRefusingThenAccepting() {
    sourceGate = new CountDownLatch(1);
    App.SEEN.clear();
    try (ConfigurableApplicationContext app = new SpringApplicationBuilder(App.class, Catalog.class)
        .web(WebApplicationType.NONE)
        .properties("lamina.local-only=true", "lamina.caches.products.warming.enabled=true",
            "lamina.caches.products.warming.readiness=true", "spring.main.banner-mode=off")
        .run()) {
      ApplicationAvailability availability = app.getBean(ApplicationAvailability.class);
      assertThat(availability.getReadinessState()).as("ready, but still warming")
          .isEqualTo(ReadinessState.REFUSING_TRAFFIC);
      sourceGate.countDown();
      Awaitility.await().atMost(Duration.ofSeconds(10))
          .until(() -> availability.getReadinessState() == ReadinessState.ACCEPTING_TRAFFIC);
      assertThat(App.SEEN).containsSubsequence(ReadinessState.REFUSING_TRAFFIC, ReadinessState.ACCEPTING_TRAFFIC);
    } finally {
      sourceGate.countDown();
    }
  }
}
