package io.lamina.spring.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import io.lamina.TieredCache;
import io.lamina.TieredCacheListener;
import io.lamina.micrometer.TieredCacheMetrics;
import io.lamina.spi.RemoteTier;
import io.lamina.spring.LaminaCacheCustomizer;
import io.lamina.spring.LaminaCaches;
import io.lamina.testkit.memory.InMemoryRemoteTier;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The timing listener every cache gets when there is a meter registry, around the application's own. */
class MetricsAutoConfigurationTest {

  private final ApplicationContextRunner runner = new ApplicationContextRunner()
      .withConfiguration(AutoConfigurations.of(LaminaAutoConfiguration.class))
      .withBean(RemoteTier.class, InMemoryRemoteTier::new)
      .withPropertyValues("lamina.caches.products.l1.maximum-size=100");

  @Configuration(proxyBeanMethods = false)
  static class OwnListener {
    final List<String> heard = new CopyOnWriteArrayList<>();

    @Bean
    LaminaCacheCustomizer ownListener() {
      return cache -> cache.listener(new TieredCacheListener() {
        @Override
        public void onLoadSuccess(String cacheName, long durationNanos) {
          heard.add("load " + cacheName);
        }
      });
    }
  }

  @Test
  void withARegistry_loadsAndL2CallsAreTimed_andTheApplicationsListenerStillHearsItsEvents() {
    runner.withUserConfiguration(OwnListener.class).withBean(MeterRegistry.class, SimpleMeterRegistry::new)
        .run(ctx -> {
          TieredCache<String, Object> products = ctx.getBean(LaminaCaches.class).get("products");
          assertThat(products.get("1", id -> "product " + id)).isEqualTo("product 1");
          MeterRegistry registry = ctx.getBean(MeterRegistry.class);
          assertThat(registry.get(TieredCacheMetrics.LOAD_TIMER).tags("cache", "products", "result", "success")
              .timer().count()).isEqualTo(1);
          assertThat(registry.get(TieredCacheMetrics.L2_LATENCY)
              .tags("cache", "products", "operation", "read", "result", "success").timer().count()).isEqualTo(1);
          assertThat(registry.get(TieredCacheMetrics.L2_LATENCY)
              .tags("cache", "products", "operation", "fill", "result", "success").timer().count()).isEqualTo(1);
          assertThat(ctx.getBean(OwnListener.class).heard).containsExactly("load products");
        });
  }

  @Test
  void withoutARegistry_theApplicationsListenerIsKept_andNothingIsTimed() {
    runner.withUserConfiguration(OwnListener.class).run(ctx -> {
      assertThat(ctx).doesNotHaveBean(MeterRegistry.class);
      TieredCache<String, Object> products = ctx.getBean(LaminaCaches.class).get("products");
      assertThat(products.get("1", id -> "product " + id)).isEqualTo("product 1");
      assertThat(ctx.getBean(OwnListener.class).heard).containsExactly("load products");
    });
  }
}
