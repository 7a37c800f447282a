package io.lamina.spring.actuate;

import static org.assertj.core.api.Assertions.assertThat;

import io.lamina.Inspection;
import io.lamina.Inspection.LocalState;
import io.lamina.TieredCache;
import io.lamina.TieredCacheStats;
import io.lamina.spring.CacheKeyConverter;
import io.lamina.spring.LaminaCaches;
import io.lamina.spring.autoconfigure.LaminaAutoConfiguration;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/** The endpoint's key view is the cache's own inspection, reached by the id a Spring key becomes. No servers. */
class LaminaEndpointTest {

  private final ApplicationContextRunner runner = new ApplicationContextRunner()
      .withConfiguration(AutoConfigurations.of(LaminaAutoConfiguration.class))
      .withPropertyValues("lamina.local-only=true", "management.endpoints.web.exposure.include=lamina",
          "lamina.caches.products.l1.maximum-size=10");

  @Test
  void key_typedOrPlainText_showsTheEntryTheConvertedKeyReached() {
    runner.run(ctx -> {
      TieredCache<String, Object> products = ctx.getBean(LaminaCaches.class).get("products");
      CacheKeyConverter keys = ctx.getBean(CacheKeyConverter.class);
      products.get(keys.toId(42L), id -> "forty-two");
      products.get(keys.toId("abc"), id -> "letters");
      LaminaEndpoint endpoint = ctx.getBean(LaminaEndpoint.class);

      Inspection typed = endpoint.key("products", "l:42");
      assertThat(typed.id()).isEqualTo(keys.toId(42L));
      assertThat(typed.l1().state()).isEqualTo(LocalState.VALUE);
      assertThat(typed.l2()).as("local-only: no remote tier").isNull();
      assertThat(endpoint.key("products", "abc").l1().state()).as("untagged text is a string key")
          .isEqualTo(LocalState.VALUE);
      assertThat(endpoint.key("products", "l:43").l1().state()).isEqualTo(LocalState.ABSENT);
    });
  }

  @Test
  void key_countsNoRead() {
    runner.run(ctx -> {
      TieredCache<String, Object> products = ctx.getBean(LaminaCaches.class).get("products");
      products.get("l:1", id -> "one");
      TieredCacheStats before = products.stats();

      ctx.getBean(LaminaEndpoint.class).key("products", "l:1");
      ctx.getBean(LaminaEndpoint.class).key("products", "l:2");

      assertThat(products.stats().l1()).isEqualTo(before.l1());
      assertThat(products.stats().loads()).isEqualTo(before.loads());
    });
  }

  @Test
  void key_ofAnUnknownCache_isNull() {
    runner.run(ctx -> assertThat(ctx.getBean(LaminaEndpoint.class).key("nosuchcache", "l:1")).isNull());
  }
}
