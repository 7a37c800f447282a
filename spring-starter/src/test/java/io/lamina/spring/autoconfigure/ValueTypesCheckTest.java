package io.lamina.spring.autoconfigure;

import static io.lamina.spring.autoconfigure.LaminaAutoConfigurationTest.messages;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lamina.spi.ValueCodec;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.cache.autoconfigure.CacheAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.cache.annotation.CacheConfig;
import org.springframework.cache.annotation.CachePut;
import org.springframework.cache.annotation.Cacheable;
import org.springframework.cache.annotation.EnableCaching;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * A value class the Fory codec cannot encode is found at start-up, where the annotated methods tell the types;
 * where they do not, the encoding error names the setting. No servers: the Redis client is lazy and never used.
 */
class ValueTypesCheckTest {

  public record Product(long id, String name) {}

  public record Price(long cents) {}

  public static class Catalog {
    @Cacheable("products")
    public Product find(long id) {
      return new Product(id, "p");
    }
  }

  @CacheConfig(cacheNames = "prices")
  public static class Prices {
    @Cacheable
    public List<Price> history(long id) {
      return List.of();
    }
  }

  public static class Updates {
    @CachePut(cacheNames = "products", key = "#p.id")
    public Product save(Product p) {
      return p;
    }
  }

  public static class JdkAndUnknowable {
    @Cacheable("names")
    public String name(long id) {
      return "n";
    }

    @Cacheable("names")
    public Optional<Map<String, List<Long>>> tags(long id) {
      return Optional.empty();
    }

    @Cacheable("names")
    public CompletableFuture<String> later(long id) {
      return CompletableFuture.completedFuture("n");
    }

    @Cacheable("anything")
    public Object any(long id) {
      return "n";
    }
  }

  @Configuration(proxyBeanMethods = false)
  @EnableCaching
  static class App {}

  @Configuration(proxyBeanMethods = false)
  static class CatalogBean {
    @Bean
    Catalog catalog() {
      return new Catalog();
    }
  }

  @Configuration(proxyBeanMethods = false)
  static class PricesBean {
    @Bean
    Prices prices() {
      return new Prices();
    }
  }

  @Configuration(proxyBeanMethods = false)
  static class UpdatesBean {
    @Bean
    Updates updates() {
      return new Updates();
    }
  }

  @Configuration(proxyBeanMethods = false)
  static class JdkBean {
    @Bean
    JdkAndUnknowable jdk() {
      return new JdkAndUnknowable();
    }
  }

  private final ApplicationContextRunner runner = new ApplicationContextRunner()
      .withConfiguration(AutoConfigurations.of(LaminaAutoConfiguration.class, CacheAutoConfiguration.class))
      .withUserConfiguration(App.class, LaminaAutoConfigurationTest.UserRedisson.class)
      .withPropertyValues("lamina.bus.type=none");

  @Test
  void aReturnedClassMissingFromValueTypes_failsStartUpNamingTheSettingAndTheClass() {
    runner.withUserConfiguration(CatalogBean.class).run(ctx -> assertThat(messages(ctx.getStartupFailure()))
        .contains("lamina.caches.products.value-types").contains(Product.class.getName())
        .contains(Catalog.class.getName() + ".find"));
  }

  @Test
  void aClassInsideAReturnedCollection_andCacheConfigNames_andCachePut_areCheckedToo() {
    runner.withUserConfiguration(PricesBean.class).run(ctx -> assertThat(messages(ctx.getStartupFailure()))
        .contains("lamina.caches.prices.value-types").contains(Price.class.getName()));
    runner.withUserConfiguration(UpdatesBean.class).run(ctx -> assertThat(messages(ctx.getStartupFailure()))
        .contains("lamina.caches.products.value-types").contains(Updates.class.getName() + ".save"));
  }

  @Test
  void registeredClasses_jdkTypes_andTypesNotKnowable_start() {
    runner.withUserConfiguration(CatalogBean.class, PricesBean.class, UpdatesBean.class, JdkBean.class)
        .withPropertyValues("lamina.caches.products.value-types=" + Product.class.getName(),
            "lamina.caches.prices.value-types=" + Price.class.getName())
        .run(ctx -> assertThat(ctx).hasNotFailed());
  }

  @Test
  void cachesThatDoNotUseFory_areNotChecked() {
    runner.withUserConfiguration(CatalogBean.class)
        .withPropertyValues("lamina.caches.products.codec=json",
            "lamina.caches.products.value-types=" + Product.class.getName())
        .run(ctx -> assertThat(ctx).hasNotFailed());
    runner.withUserConfiguration(CatalogBean.class).withPropertyValues("lamina.caches.products.l2.enabled=false")
        .run(ctx -> assertThat(ctx).hasNotFailed());
  }

  @Test
  void atRunTime_anUnregisteredClass_failsEncodingWithOneErrorNamingTheSetting() {
    runner.run(ctx -> {
      ValueCodec<Object> codec = ctx.getBean(CacheFactory.class).valueCodec("anything");
      assertThat(codec.encode("registered: a JDK type")).isNotEmpty();
      for (int i = 0; i < 2; i++) { // the same answer every time, not only on the first call
        assertThatThrownBy(() -> codec.encode(new Product(1, "p"))).isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("lamina.caches.anything.value-types").hasMessageContaining(Product.class.getName());
      }
    });
  }
}
