package io.lamina.quarkus.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lamina.BusConfig;
import io.lamina.CacheLoader;
import io.lamina.ProtectionConfig;
import io.lamina.TieredCache;
import io.lamina.TieredCacheConfig;
import io.lamina.caffeine.CaffeineLocalTier;
import io.lamina.quarkus.LaminaWarmupSource;
import io.lamina.spi.BusChannel;
import io.lamina.spi.BusListener;
import io.lamina.spi.InvalidationBus;
import io.lamina.warming.WarmupMode;
import io.quarkus.cache.CompositeCacheKey;
import io.quarkus.runtime.configuration.ConfigurationException;
import io.quarkus.runtime.configuration.DurationConverter;
import io.quarkus.runtime.configuration.MemorySize;
import io.quarkus.runtime.configuration.MemorySizeConverter;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Every value Lamina refuses is reported under the {@code quarkus.lamina.*} property that set it, with what to
 * do. The mapping is read by SmallRye Config as Quarkus reads it, without booting an application.
 */
class ConfigMessagesTest {

  private static LaminaConfig config(String... pairs) {
    Map<String, String> map = new HashMap<>();
    for (int i = 0; i < pairs.length; i += 2) {
      map.put(pairs[i], pairs[i + 1]);
    }
    SmallRyeConfig config = new SmallRyeConfigBuilder()
        .withConverter(Duration.class, 200, new DurationConverter())
        .withConverter(MemorySize.class, 200, new MemorySizeConverter())
        .withMapping(LaminaConfig.class)
        .withSources(new PropertiesConfigSource(map, "test", 100))
        .build();
    return config.getConfigMapping(LaminaConfig.class);
  }

  private static TieredCache<String, Object> build(LaminaConfig config, String cache, @Nullable InvalidationBus bus,
      Map<String, List<String>> annotated) {
    BusConfig busConfig = LaminaCacheFactory.busConfig(config.bus());
    LaminaCacheFactory factory = new LaminaCacheFactory(config, config.namespace().orElse("test"),
        CaffeineLocalTier.provider(), null, bus, busConfig, annotated, type -> {
          throw new AssertionError("json");
        });
    factory.checkDefaults();
    return factory.create(cache);
  }

  private static LaminaCacheFactory factory(LaminaConfig config) {
    return new LaminaCacheFactory(config, "test", CaffeineLocalTier.provider(), null, null, BusConfig.ofDefaults(),
        Map.of(), type -> {
          throw new AssertionError("json");
        });
  }

  private static TieredCache<String, Object> build(LaminaConfig config, String cache) {
    return build(config, cache, null, Map.of());
  }

  @ParameterizedTest(name = "{0}={1}")
  @CsvSource(delimiter = '|', value = {
      "quarkus.lamina.caches.products.l1.ttl-jitter|1.5|quarkus.lamina.caches.products.l1.ttl-jitter",
      "quarkus.lamina.defaults.l1.ttl-jitter|-0.1|quarkus.lamina.defaults.l1.ttl-jitter",
      "quarkus.lamina.caches.products.l1.maximum-size|0|quarkus.lamina.caches.products.l1.maximum-size",
      "quarkus.lamina.caches.products.l2.ttl|0s|quarkus.lamina.caches.products.l2.ttl",
      "quarkus.lamina.caches.products.negative-ttl|-1s|quarkus.lamina.caches.products.negative-ttl",
      "quarkus.lamina.caches.products.load-timeout|0s|quarkus.lamina.caches.products.load-timeout",
      "quarkus.lamina.caches.products.max-key-bytes|0|quarkus.lamina.caches.products.max-key-bytes",
      "quarkus.lamina.caches.products.protection.early-refresh-beta|-1|"
          + "quarkus.lamina.caches.products.protection.early-refresh-beta",
      "quarkus.lamina.caches.products.protection.hot-keys|-3|quarkus.lamina.caches.products.protection.hot-keys",
      "quarkus.lamina.defaults.protection.max-abandoned-loads|-1|"
          + "quarkus.lamina.defaults.protection.max-abandoned-loads",
      "quarkus.lamina.namespace|has space|quarkus.lamina.namespace",
      "quarkus.lamina.schema-version|-1|quarkus.lamina.schema-version",
  })
  void aRefusedValue_isReportedUnderItsProperty(String property, String value, String named) {
    LaminaConfig config = config(property, value);
    assertThatThrownBy(() -> build(config, "products"))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining(named);
  }

  @Test
  void settingsThatConflict_nameThePrefixAndTheSettings() {
    LaminaConfig config = config("quarkus.lamina.caches.products.l1.max-age", "1m",
        "quarkus.lamina.caches.products.l1.expire-after-write", "5m");
    assertThatThrownBy(() -> build(config, "products"))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("quarkus.lamina.caches.products")
        .hasMessageContaining("l1.max-age");
  }

  @Test
  void aRefusal_namesThePropertyAndTheValue_andLaminasRequirementInPropertyNames() {
    assertThatThrownBy(() -> build(config("quarkus.lamina.caches.products.l1.maximum-size", "-1"), "products"))
        .isInstanceOf(ConfigurationException.class)
        .hasMessage("quarkus.lamina.caches.products.l1.maximum-size=-1 is not valid: must be positive");
    assertThatThrownBy(() -> build(config("quarkus.lamina.defaults.l1.max-age", "1m"), "products"))
        .hasMessage("quarkus.lamina.defaults.l1.expire-after-write=PT5M is not valid: must not exceed"
            + " quarkus.lamina.defaults.l1.max-age (PT1M), the hard cap on a local entry's age (no property sets it:"
            + " Lamina's default, or a LaminaCacheCustomizer's value)");
    assertThatThrownBy(() -> build(config("quarkus.lamina.schema-version", "2",
        "quarkus.lamina.previous-schema-versions", "1,2"), "products"))
        .hasMessage("quarkus.lamina.previous-schema-versions=[1, 2] is not valid: must not contain the current"
            + " quarkus.lamina.schema-version (2)");
    assertThatThrownBy(() -> LaminaCacheFactory.busConfig(config("quarkus.lamina.bus.heartbeat-interval", "1s",
        "quarkus.lamina.bus.detection-time", "1500ms").bus()))
        .hasMessage("quarkus.lamina.bus.detection-time=PT1.5S is not valid: must be at least twice"
            + " quarkus.lamina.bus.heartbeat-interval (PT1S)");
  }

  @Test
  void aWriterStrategyWithoutAWriter_namesTheStrategysProperty() {
    assertThatThrownBy(() -> build(config("quarkus.lamina.caches.products.write-strategy", "write-around"),
        "products"))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageStartingWith("quarkus.lamina.caches.products.write-strategy=write-around is not valid: this"
            + " strategy calls a writer")
        .hasMessageContaining("LaminaCacheCustomizer");
  }

  @Test
  void aBadDefault_failsEvenIfNoCacheUsesIt() {
    LaminaConfig config = config("quarkus.lamina.defaults.l2.ttl-jitter", "2");
    assertThatThrownBy(() -> build(config, "anything"))
        .hasMessageContaining("quarkus.lamina.defaults.l2.ttl-jitter");
  }

  @Test
  void busTimings_areCheckedTogether_underTheirProperties() {
    LaminaConfig config = config("quarkus.lamina.bus.heartbeat-interval", "1s",
        "quarkus.lamina.bus.detection-time", "1500ms");
    assertThatThrownBy(() -> LaminaCacheFactory.busConfig(config.bus()))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("quarkus.lamina.bus.detection-time")
        .hasMessageContaining("quarkus.lamina.bus.heartbeat-interval");
  }

  @Test
  void stalenessBound_isSetByItsProperty_defaultsToFiveHeartbeats_andIsChecked() {
    assertThat(LaminaCacheFactory.busConfig(config("quarkus.lamina.bus.staleness-bound", "300ms").bus())
        .stalenessBound()).isEqualTo(Duration.ofMillis(300));
    assertThat(LaminaCacheFactory.busConfig(config("quarkus.lamina.bus.heartbeat-interval", "200ms").bus())
        .stalenessBound()).isEqualTo(Duration.ofSeconds(1));
    assertThatThrownBy(() -> LaminaCacheFactory.busConfig(config("quarkus.lamina.bus.staleness-bound", "150ms").bus()))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("quarkus.lamina.bus.staleness-bound")
        .hasMessageContaining("quarkus.lamina.bus.heartbeat-interval");
  }

  @Test
  void degradedMaxAge_mayNotExceedTheDetectionTime() {
    LaminaConfig config = config("quarkus.lamina.caches.products.degraded-max-age", "5s");
    InvalidationBus bus = new InvalidationBus() {
      @Override
      public BusChannel open(String namespace, BusListener listener) {
        throw new AssertionError("not opened: the configuration fails first");
      }

      @Override
      public String name() {
        return "test";
      }
    };
    assertThatThrownBy(() -> build(config, "products", bus, Map.of()))
        .hasMessageContaining("quarkus.lamina.caches.products.degraded-max-age")
        .hasMessageContaining("quarkus.lamina.bus.detection-time");
  }

  @Test
  void aCacheNameLaminaRefuses_saysHowToChooseAnotherType() {
    assertThatThrownBy(() -> build(config(), "has space"))
        .hasMessageContaining("'has space'")
        .hasMessageContaining("quarkus.cache.\"has space\".type");
  }

  @Test
  void redisAddress_mustBeARedisUrl_andNotBeGivenTwice() {
    assertThatThrownBy(() -> RedisClients.config(config("quarkus.lamina.redis.address", "127.0.0.1:6379").redis()))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("quarkus.lamina.redis.address=127.0.0.1:6379")
        .hasMessageContaining("redis://");
    assertThatThrownBy(() -> RedisClients.config(config("quarkus.lamina.redis.address", "redis://h:1",
        "quarkus.lamina.redis.config", "classpath:redisson.yaml").redis()))
        .hasMessageContaining("quarkus.lamina.redis.config is set too");
    assertThatThrownBy(() -> RedisClients.config(config("quarkus.lamina.redis.config", "classpath:nope.yaml")
        .redis()))
        .hasMessageContaining("quarkus.lamina.redis.config=classpath:nope.yaml")
        .hasMessageContaining("no resource nope.yaml");
  }

  @Test
  void theDefaultsThenTheCache_andLaminasOwnDefaultsBelow() {
    LaminaConfig config = config("quarkus.lamina.defaults.l1.maximum-size", "500",
        "quarkus.lamina.defaults.negative-ttl", "3s", "quarkus.lamina.caches.products.negative-ttl", "7s",
        "quarkus.lamina.caches.products.protection.distributed-single-flight", "true",
        "quarkus.lamina.caches.products.remote-failure-mode", "fail",
        "quarkus.lamina.caches.products.protection.load-on-caller-thread", "false",
        "quarkus.lamina.defaults.protection.max-abandoned-loads", "4",
        "quarkus.lamina.caches.products.protection.max-abandoned-loads", "2");
    try (TieredCache<String, Object> products = build(config, "products");
        TieredCache<String, Object> other = build(config, "other")) {
      assertThat(products.config().l1MaximumSize()).isEqualTo(500);
      assertThat(products.config().negativeTtl()).isEqualTo(Duration.ofSeconds(7));
      assertThat(products.config().protection().distributedSingleFlight()).isTrue();
      assertThat(products.config().protection().loadOnCallerThread()).isFalse();
      assertThat(products.config().remoteFailureMode()).hasToString("FAIL");
      assertThat(products.config().protection().maxAbandonedLoads()).isEqualTo(2);
      assertThat(other.config().protection().maxAbandonedLoads()).isEqualTo(4);
      assertThat(other.config().negativeTtl()).isEqualTo(Duration.ofSeconds(3));
      assertThat(other.config().protection().loadOnCallerThread()).as("methods keep their context by default")
          .isTrue();
      assertThat(other.config().l2Ttl()).isEqualTo(TieredCacheConfig.ofDefaults().l2Ttl());
    }
  }

  @Test
  void valueTypes_mustBeClasses_andJsonNeedsExactlyOne() {
    LaminaConfig unknown = config("quarkus.lamina.caches.products.value-types", "com.example.Nope");
    assertThatThrownBy(() -> factory(unknown).codecFor("products"))
        .hasMessageContaining("quarkus.lamina.caches.products.value-types=com.example.Nope")
        .hasMessageContaining("no class com.example.Nope");
    LaminaConfig json = config("quarkus.lamina.caches.products.codec", "json",
        "quarkus.lamina.caches.products.value-types", "java.lang.String,java.lang.Integer");
    assertThatThrownBy(() -> factory(json).codecFor("products"))
        .hasMessageContaining("quarkus.lamina.caches.products.value-types")
        .hasMessageContaining("name exactly one");
  }

  /** A value class the Fory codec has not registered. */
  record Unlisted(long id) {}

  @Test
  void anUnregisteredValueClass_failsEncodingWithOneErrorNamingTheSetting() {
    LaminaConfig listed = config("quarkus.lamina.caches.products.value-types", "java.lang.String");
    for (int i = 0; i < 2; i++) { // every call, not only the first
      assertThatThrownBy(() -> factory(listed).codecFor("products").encode(new Unlisted(1)))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("quarkus.lamina.caches.products.value-types")
          .hasMessageContaining(Unlisted.class.getName());
    }
    assertThatThrownBy(() -> factory(config()).codecFor("products").encode(new Unlisted(1)))
        .as("types found in @CacheResult return types: value-types replaces them")
        .hasMessageContaining("quarkus.lamina.caches.products.value-types").hasMessageContaining("list them all");
  }

  @Test
  void aValueTypesThatOmitsAClassReturnedByCacheResult_failsAtStartUpNamingTheSettingAndTheClass() {
    LaminaConfig listed = config("quarkus.lamina.caches.products.value-types", "java.lang.String");
    LaminaCacheFactory factory = new LaminaCacheFactory(listed, "test", CaffeineLocalTier.provider(), null, null,
        BusConfig.ofDefaults(), Map.of("products", List.of(Unlisted.class.getName())), type -> {
          throw new AssertionError("json");
        });
    assertThatThrownBy(() -> factory.codecFor("products"))
        .hasMessageContaining("quarkus.lamina.caches.products.value-types")
        .hasMessageContaining(Unlisted.class.getName());
    LaminaConfig both = config("quarkus.lamina.caches.products.value-types",
        "java.lang.String," + Unlisted.class.getName());
    assertThat(new LaminaCacheFactory(both, "test", CaffeineLocalTier.provider(), null, null,
        BusConfig.ofDefaults(), Map.of("products", List.of(Unlisted.class.getName())), type -> {
          throw new AssertionError("json");
        }).codecFor("products").encode(new Unlisted(1))).isNotEmpty();
  }

  /**
   * {@code quarkus.lamina.bus.type=nats} without jnats: the test classpath has jnats, so the check runs against a
   * class loader that hides {@code io.nats}, as an application without the dependency would.
   */
  @Test
  void natsBus_withoutJnats_namesTheProperty_andTheDependency() {
    ClassLoader withoutNats = new ClassLoader(ConfigMessagesTest.class.getClassLoader()) {
      @Override
      protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
        if (name.startsWith("io.nats.")) {
          throw new ClassNotFoundException(name);
        }
        return super.loadClass(name, resolve);
      }
    };
    assertThatThrownBy(() -> LaminaCaches.requireNats(withoutNats))
        .isInstanceOf(ConfigurationException.class)
        .hasMessage("quarkus.lamina.bus.type=nats is not valid: jnats is not on the classpath; add the dependency"
            + " io.nats:jnats, or choose quarkus.lamina.bus.type=redis or none");
    LaminaCaches.requireNats(ConfigMessagesTest.class.getClassLoader()); // present: no failure
  }

  @Test
  void keyIds_turnBackIntoTheKeysTheyStandFor_whenScalarOrComposite() {
    for (Object key : List.of("a,b[c]\\", 42L, 7, (short) 3, (byte) 2, 1.5d, 2.5f, true, 'x',
        UUID.fromString("123e4567-e89b-12d3-a456-426614174000"), new BigInteger("12345678901234567890"),
        new BigDecimal("1.50"))) {
      assertThat(KeyIds.fromId(KeyIds.toId(key))).as(KeyIds.toId(key)).isEqualTo(key);
    }
    CompositeCacheKey composite = new CompositeCacheKey("sku,1", "EUR", 3L);
    assertThat(KeyIds.fromId(KeyIds.toId(composite))).isEqualTo(composite);
    assertThat(KeyIds.fromId(KeyIds.toId(Duration.ofSeconds(1)))).as("not rebuilt").isNull();
    assertThat(KeyIds.fromId(KeyIds.toId(List.of(1L, 2L)))).as("not rebuilt").isNull();
    assertThat(KeyIds.fromId("l:not a number")).isNull();
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "quarkus.lamina.caches.products.warming.batch-size|0|"
          + "quarkus.lamina.caches.products.warming.batch-size=0 is not valid: must be within [1, 10000]",
      "quarkus.lamina.defaults.warming.concurrency|65|"
          + "quarkus.lamina.defaults.warming.concurrency=65 is not valid: must be within [1, 64]",
      "quarkus.lamina.caches.products.warming.deadline|1ms|"
          + "quarkus.lamina.caches.products.warming.deadline=PT0.001S is not valid: must be at least 10 ms",
      "quarkus.lamina.defaults.warming.recorded-hot-keys|-1|"
          + "quarkus.lamina.defaults.warming.recorded-hot-keys=-1 is not valid: must be at least 0",
  })
  void badWarmingValue_isReportedUnderItsProperty(String property, String value, String message) {
    LaminaConfig config = config(property, value);
    Warmers warmers = new Warmers(config, null, List.of());
    assertThatThrownBy(() -> {
      warmers.checkDefaults();
      warmers.warmer(TieredCache.<String, Object>newBuilder("products").local(CaffeineLocalTier.provider()).build(),
          warmers.settings("products"));
    }).isInstanceOf(ConfigurationException.class).hasMessageStartingWith(message);
  }

  @Test
  void refreshAhead_notShorterThanTheL2Ttl_isReportedUnderItsProperty() {
    LaminaConfig config = config("quarkus.lamina.caches.products.warming.refresh.enabled", "true",
        "quarkus.lamina.caches.products.warming.refresh.ahead", "2h");
    LaminaWarmupSource source = new LaminaWarmupSource() {
      @Override
      public String cache() {
        return "products";
      }

      @Override
      public Iterable<?> keys() {
        return List.of(1L);
      }

      @Override
      public CacheLoader<Object, Object> loader() {
        return key -> "value";
      }
    };
    TieredCache<String, Object> cache = TieredCache.<String, Object>newBuilder("products")
        .config(TieredCacheConfig.custom()
            .protection(ProtectionConfig.custom().hotKeys(10).build()).build())
        .local(CaffeineLocalTier.provider()).build();
    Warmers warmers = new Warmers(config, null, List.of(source));
    assertThatThrownBy(() -> warmers.refresher(cache, warmers.settings("products")))
        .isInstanceOf(ConfigurationException.class)
        .hasMessage("quarkus.lamina.caches.products.warming.refresh.ahead=PT2H is not valid: must be shorter than"
            + " the L2 TTL, quarkus.lamina.caches.products.l2.ttl (PT1H), or every hot key would be reloaded every"
            + " round");
    Warmers withoutSource = new Warmers(config, null, List.of());
    assertThatThrownBy(() -> withoutSource.refresher(cache, withoutSource.settings("products")))
        .hasMessageStartingWith("quarkus.lamina.caches.products.warming.refresh.enabled=true is not valid:"
            + " refreshing reloads from the source");
  }

  @Test
  void warmingMode_isWrittenAsInTheStarter() {
    assertThat(config("quarkus.lamina.caches.products.warming.mode", "l2-only").caches().get("products").warming()
        .mode()).contains(WarmupMode.L2_ONLY);
    assertThat(config("quarkus.lamina.defaults.warming.mode", "l2-then-source").defaults().warming().mode())
        .contains(WarmupMode.L2_THEN_SOURCE);
  }
}
