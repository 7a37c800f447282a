package io.lamina.spring.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import io.lamina.Inspection;
import io.lamina.Inspection.LocalState;
import io.lamina.TieredCache;
import io.lamina.spring.CacheKeyConverter;
import io.lamina.spring.LaminaCacheCustomizer;
import io.lamina.spring.LaminaCaches;
import java.time.Duration;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.cache.autoconfigure.CacheAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.cache.Cache;
import org.springframework.cache.CacheManager;
import org.springframework.cache.annotation.EnableCaching;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** A customizer's {@code ttlOf} gives each value of a Spring cache its own lifetime. No servers. */
class PerValueTtlTest {

  private static final Duration SHORT = Duration.ofSeconds(2);

  private final ApplicationContextRunner runner = new ApplicationContextRunner()
      .withConfiguration(AutoConfigurations.of(LaminaAutoConfiguration.class, CacheAutoConfiguration.class))
      .withUserConfiguration(Quotes.class)
      .withPropertyValues("lamina.local-only=true", "lamina.transaction-aware=false",
          "lamina.caches.quotes.l1.expire-after-write=5m");

  @Configuration(proxyBeanMethods = false)
  @EnableCaching
  static class Quotes {
    @Bean
    LaminaCacheCustomizer quoteTtl() {
      return cache -> {
        if (cache.name().equals("quotes")) {
          cache.ttlOf(value -> value instanceof Quote quote ? quote.validFor() : null);
        }
      };
    }
  }

  /** A value that knows how long it is valid. */
  record Quote(String symbol, Duration validFor) {}

  @Test
  void ttlOf_capsHowLongALoadedValueStays_andNullKeepsTheCachesTtl() {
    runner.run(ctx -> {
      Cache quotes = ctx.getBean(CacheManager.class).getCache("quotes");
      quotes.get("ACME", () -> new Quote("ACME", SHORT));
      quotes.get("plain", () -> "no ttl of its own");
      TieredCache<String, Object> cache = ctx.getBean(LaminaCaches.class).get("quotes");
      CacheKeyConverter keys = ctx.getBean(CacheKeyConverter.class);

      Inspection.Local quote = cache.inspect(keys.toId("ACME")).l1();
      assertThat(quote.state()).isEqualTo(LocalState.VALUE);
      assertThat(quote.expiresInMillis()).as("the quote's own TTL").isBetween(1L, SHORT.toMillis());
      Inspection.Local plain = cache.inspect(keys.toId("plain")).l1();
      assertThat(plain.expiresInMillis()).as("l1.expire-after-write, less its jitter")
          .isGreaterThan(Duration.ofMinutes(4).toMillis());
    });
  }

  @Test
  void ttlOf_aShortLivedValue_expiresFromTheCache() {
    runner.run(ctx -> {
      Cache quotes = ctx.getBean(CacheManager.class).getCache("quotes");
      quotes.get("FLASH", () -> new Quote("FLASH", Duration.ofMillis(50)));
      quotes.get("plain", () -> "no ttl of its own");

      Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> quotes.get("FLASH") == null);
      assertThat(quotes.get("plain")).as("the cache's TTL still holds").isNotNull();
    });
  }
}
