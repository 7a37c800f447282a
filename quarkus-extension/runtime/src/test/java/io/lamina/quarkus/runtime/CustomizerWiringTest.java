package io.lamina.quarkus.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lamina.BusConfig;
import io.lamina.Inspection;
import io.lamina.TieredCache;
import io.lamina.TieredCacheConfig;
import io.lamina.caffeine.CaffeineLocalTier;
import io.lamina.quarkus.LaminaCacheCustomizer;
import io.lamina.quarkus.LaminaCacheSettings;
import io.quarkus.runtime.configuration.DurationConverter;
import io.quarkus.runtime.configuration.MemorySize;
import io.quarkus.runtime.configuration.MemorySizeConverter;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * What a {@link LaminaCacheCustomizer} gives a cache reaches the cache the extension builds. Local caches, no
 * servers: the local tier's own view of an entry ({@link TieredCache#inspect}) shows how long it lives.
 */
class CustomizerWiringTest {

  private static final Duration TOKEN_TTL = Duration.ofSeconds(2);

  /** A value that knows when it stops being valid. */
  record Token(String value) {}

  private static TieredCache<String, Object> build(String name, LaminaCacheCustomizer customizer) {
    SmallRyeConfig config = new SmallRyeConfigBuilder()
        .withConverter(Duration.class, 200, new DurationConverter())
        .withConverter(MemorySize.class, 200, new MemorySizeConverter())
        .withMapping(LaminaConfig.class)
        .withSources(new PropertiesConfigSource(Map.of(), "test", 100))
        .build();
    LaminaCacheFactory factory = new LaminaCacheFactory(config.getConfigMapping(LaminaConfig.class), "test",
        CaffeineLocalTier.provider(), null, null, BusConfig.ofDefaults(), Map.of(), type -> {
          throw new AssertionError("json");
        }, List.of(customizer), CacheListeners.NONE);
    return factory.create(name);
  }

  @Test
  void ttlOf_givesAValueItsOwnTimeToLive_andNullKeepsTheCachesOwn() {
    LaminaCacheCustomizer tokensExpire = cache -> cache.ttlOf(value -> value instanceof Token ? TOKEN_TTL : null);
    try (TieredCache<String, Object> cache = build("tokens", tokensExpire)) {
      cache.get("t", id -> new Token("abc"));
      cache.get("s", id -> "plain");

      Inspection.Local token = cache.inspect("t").l1();
      assertThat(token.state()).isEqualTo(Inspection.LocalState.VALUE);
      assertThat(token.expiresInMillis()).as("the token's own life, stale serving included")
          .isPositive().isLessThanOrEqualTo(TOKEN_TTL.toMillis());
      Inspection.Local plain = cache.inspect("s").l1();
      assertThat(plain.expiresInMillis()).as("null: the cache's l1.expire-after-write")
          .isGreaterThan(TOKEN_TTL.toMillis());
    }
  }

  @Test
  void ttlOf_underOneMillisecond_failsTheLoad_andNothingIsStored() {
    try (TieredCache<String, Object> cache = build("tokens", c -> c.ttlOf(value -> Duration.ZERO))) {
      assertThatThrownBy(() -> cache.get("t", id -> new Token("abc")))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("at least 1 ms");
      assertThat(cache.inspect("t").l1().state()).isEqualTo(Inspection.LocalState.ABSENT);
    }
  }

  @Test
  void ttlOf_setByTwoCustomizers_failsNamingIt() {
    LaminaCacheSettings settings = new LaminaCacheSettings("tokens", TieredCacheConfig.custom());
    settings.ttlOf(value -> TOKEN_TTL);
    assertThatThrownBy(() -> settings.ttlOf(value -> null))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("cache 'tokens': ttlOf was already set");
  }
}
