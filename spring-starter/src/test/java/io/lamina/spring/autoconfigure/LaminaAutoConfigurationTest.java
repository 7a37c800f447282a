package io.lamina.spring.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lamina.BusConfig;
import io.lamina.Inspection;
import io.lamina.ProtectionConfig;
import io.lamina.RemoteFailureMode;
import io.lamina.TieredCache;
import io.lamina.TieredCacheConfig;
import io.lamina.WriteStrategy;
import io.lamina.bus.BackgroundNatsBus;
import io.lamina.spi.BusChannel;
import io.lamina.spi.BusListener;
import io.lamina.spi.InvalidationBus;
import io.lamina.spi.InvalidationMessage;
import io.lamina.spi.RemoteTier;
import io.lamina.spring.CacheKeyConverter;
import io.lamina.spring.LaminaCache;
import io.lamina.spring.LaminaCacheCustomizer;
import io.lamina.spring.LaminaCacheManager;
import io.lamina.spring.LaminaCacheResolver;
import io.lamina.spring.LaminaCaches;
import io.lamina.spring.PutMode;
import io.lamina.spring.RedissonConfigCustomizer;
import io.lamina.spring.actuate.LaminaEndpoint;
import io.lamina.testkit.bus.InMemoryBusNetwork;
import io.lamina.testkit.memory.InMemoryRemoteTier;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.nats.client.Connection;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.redisson.Redisson;
import org.redisson.api.RedissonClient;
import org.redisson.config.Config;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.cache.autoconfigure.CacheAutoConfiguration;
import org.springframework.boot.health.contributor.CompositeHealthContributor;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthContributor;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.cache.CacheManager;
import org.springframework.cache.annotation.CachingConfigurer;
import org.springframework.cache.annotation.EnableCaching;
import org.springframework.cache.concurrent.ConcurrentMapCacheManager;
import org.springframework.cache.transaction.TransactionAwareCacheDecorator;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Every condition of the auto-configuration, on and off, and what each property does. No servers. */
class LaminaAutoConfigurationTest {

  /** As an application that gives Redis (settings or a RedissonClient bean) sees it. */
  private final ApplicationContextRunner withRedis = new ApplicationContextRunner()
      .withConfiguration(AutoConfigurations.of(LaminaAutoConfiguration.class, CacheAutoConfiguration.class));

  /** Most conditions need no Redis: caches declared local to this JVM. */
  private final ApplicationContextRunner runner = withRedis.withPropertyValues("lamina.local-only=true");

  @Configuration(proxyBeanMethods = false)
  @EnableCaching
  static class Caching {}

  @Test
  void withCachingEnabled_laminaIsTheCacheManager_andBootsOwnBacksOff() {
    runner.withUserConfiguration(Caching.class).run(ctx -> {
      assertThat(ctx).hasSingleBean(CacheManager.class).hasSingleBean(LaminaCacheManager.class);
      assertThat(ctx).hasSingleBean(CachingConfigurer.class);
      assertThat(ctx.getBean(CachingConfigurer.class).cacheResolver()).isInstanceOf(LaminaCacheResolver.class);
    });
  }

  @Test
  void withoutCachingEnabled_noCacheManager_butTheCachesExist() {
    runner.run(ctx -> {
      assertThat(ctx).doesNotHaveBean(CacheManager.class).hasSingleBean(LaminaCaches.class);
      assertThat(ctx.getBean(LaminaCaches.class).getOrCreate("adhoc")).isNotNull();
    });
  }

  @Configuration(proxyBeanMethods = false)
  @EnableCaching
  static class OwnCacheManager {
    @Bean
    CacheManager myCacheManager() {
      return new ConcurrentMapCacheManager("mine");
    }
  }

  @Test
  void userCacheManager_wins() {
    runner.withUserConfiguration(OwnCacheManager.class).run(ctx -> {
      assertThat(ctx).hasSingleBean(CacheManager.class).doesNotHaveBean(LaminaCacheManager.class);
      assertThat(ctx).doesNotHaveBean(CachingConfigurer.class);
      assertThat(ctx).hasSingleBean(LaminaCaches.class);
    });
  }

  @Configuration(proxyBeanMethods = false)
  @EnableCaching
  static class OwnConfigurer implements CachingConfigurer {}

  @Test
  void userCachingConfigurer_wins() {
    runner.withUserConfiguration(OwnConfigurer.class).run(ctx -> {
      assertThat(ctx).hasSingleBean(CachingConfigurer.class).hasSingleBean(LaminaCacheManager.class);
      assertThat(ctx.getBean(CachingConfigurer.class)).isInstanceOf(OwnConfigurer.class);
    });
  }

  @Test
  void disabled_nothingOfLamina_andBootConfiguresCaching() {
    runner.withUserConfiguration(Caching.class).withPropertyValues("lamina.enabled=false").run(ctx -> {
      assertThat(ctx).doesNotHaveBean(LaminaCaches.class).doesNotHaveBean(LaminaCacheManager.class);
      assertThat(ctx).hasSingleBean(CacheManager.class);
    });
  }

  @Test
  void configuredCaches_areBuiltAtStartUp_withEveryProperty() {
    runner.withPropertyValues(
            "lamina.namespace=shop",
            "lamina.schema-version=3",
            "lamina.previous-schema-versions=2",
            "lamina.defaults.l1.maximum-size=77",
            "lamina.defaults.negative-ttl=7s",
            "lamina.caches.products.l1.maximum-size=500",
            "lamina.caches.products.l1.expire-after-write=2m",
            "lamina.caches.products.l1.ttl-jitter=0.2",
            "lamina.caches.products.l1.max-age=3m",
            "lamina.caches.products.l2.ttl=20m",
            "lamina.caches.products.l2.ttl-jitter=0.05",
            "lamina.caches.products.tombstone-ttl=1m",
            "lamina.caches.products.load-timeout=4s",
            "lamina.caches.products.remote-timeout=300ms",
            "lamina.caches.products.write-timeout=6s",
            "lamina.caches.products.write-strategy=cache-aside",
            "lamina.caches.products.remote-failure-mode=fail",
            "lamina.caches.products.max-key-bytes=100",
            "lamina.caches.products.max-value-bytes=2000",
            "lamina.caches.prices.l1.expire-after-write=30s")
        .run(ctx -> {
          LaminaCaches caches = ctx.getBean(LaminaCaches.class);
          assertThat(caches.names()).containsExactly("prices", "products");
          TieredCacheConfig p = caches.get("products").config();
          assertThat(p.namespace()).isEqualTo("shop");
          assertThat(p.schemaVersion()).isEqualTo(3);
          assertThat(p.previousSchemaVersions()).containsExactly(2);
          assertThat(p.l1MaximumSize()).isEqualTo(500);
          assertThat(p.l1ExpireAfterWrite()).isEqualTo(Duration.ofMinutes(2));
          assertThat(p.l1TtlJitter()).isEqualTo(0.2);
          assertThat(p.l1MaxAge()).isEqualTo(Duration.ofMinutes(3));
          assertThat(p.l2Ttl()).isEqualTo(Duration.ofMinutes(20));
          assertThat(p.l2TtlJitter()).isEqualTo(0.05);
          assertThat(p.negativeTtl()).as("from lamina.defaults").isEqualTo(Duration.ofSeconds(7));
          assertThat(p.tombstoneTtl()).isEqualTo(Duration.ofMinutes(1));
          assertThat(p.loadTimeout()).isEqualTo(Duration.ofSeconds(4));
          assertThat(p.remoteTimeout()).isEqualTo(Duration.ofMillis(300));
          assertThat(p.writeTimeout()).isEqualTo(Duration.ofSeconds(6));
          assertThat(p.writeStrategy()).isEqualTo(WriteStrategy.CACHE_ASIDE);
          assertThat(p.remoteFailureMode()).isEqualTo(RemoteFailureMode.FAIL);
          assertThat(p.maxKeyBytes()).isEqualTo(100);
          assertThat(p.maxValueBytes()).isEqualTo(2000);
          TieredCacheConfig prices = caches.get("prices").config();
          assertThat(prices.l1MaximumSize()).as("from lamina.defaults").isEqualTo(77);
          assertThat(prices.l1ExpireAfterWrite()).isEqualTo(Duration.ofSeconds(30));
          assertThat(prices.l2Ttl()).as("Lamina's default").isEqualTo(TieredCacheConfig.DEFAULT_L2_TTL);
        });
  }

  @Test
  void protectionProperties_apply_andMethodsRunOnTheCallersThreadByDefault() {
    runner.withPropertyValues("lamina.caches.p.protection.distributed-single-flight=true",
            "lamina.caches.p.protection.stale-while-revalidate=30s",
            "lamina.caches.p.protection.stale-if-error=1m",
            "lamina.caches.p.protection.early-refresh-beta=1.0",
            "lamina.caches.p.protection.hot-keys=16",
            "lamina.caches.p.protection.hot-key-window=30s",
            "lamina.caches.p.protection.miss-rate-limit=50",
            "lamina.caches.p.protection.max-abandoned-loads=3",
            "lamina.defaults.protection.max-abandoned-loads=5",
            "lamina.caches.q.protection.load-on-caller-thread=false")
        .run(ctx -> {
          LaminaCaches caches = ctx.getBean(LaminaCaches.class);
          ProtectionConfig p = caches.get("p").config().protection();
          assertThat(p.loadOnCallerThread()).as("the starter's default").isTrue();
          assertThat(p.distributedSingleFlight()).isTrue();
          assertThat(p.staleWhileRevalidate()).isEqualTo(Duration.ofSeconds(30));
          assertThat(p.staleIfError()).isEqualTo(Duration.ofMinutes(1));
          assertThat(p.earlyRefreshBeta()).isEqualTo(1.0);
          assertThat(p.hotKeys()).isEqualTo(16);
          assertThat(p.hotKeyWindow()).isEqualTo(Duration.ofSeconds(30));
          assertThat(p.missRateLimit()).isEqualTo(50);
          assertThat(p.maxAbandonedLoads()).isEqualTo(3);
          assertThat(caches.get("q").config().protection().loadOnCallerThread()).isFalse();
          assertThat(caches.get("q").config().protection().maxAbandonedLoads()).as("from lamina.defaults")
              .isEqualTo(5);
        });
    runner.withPropertyValues("lamina.caches.p.protection.max-abandoned-loads=-1")
        .run(ctx -> assertThat(messages(ctx.getStartupFailure()))
            .contains("lamina.caches.p.protection.max-abandoned-loads"));
    runner.withPropertyValues("lamina.caches.p.protection.stale-if-error=-1s")
        .run(ctx -> assertThat(messages(ctx.getStartupFailure()))
            .contains("lamina.caches.p.protection.stale-if-error"));
    runner.withPropertyValues("lamina.defaults.protection.hot-keys=5000")
        .run(ctx -> assertThat(messages(ctx.getStartupFailure()))
            .contains("lamina.defaults.protection.hot-keys"));
  }

  @Test
  void namespace_defaultsToTheApplicationName_madeFitForAKey() {
    runner.withPropertyValues("spring.application.name=Order Service", "lamina.caches.a.l1.maximum-size=1")
        .run(ctx -> assertThat(ctx.getBean(LaminaCaches.class).get("a").config().namespace())
            .isEqualTo("Order-Service"));
    runner.withPropertyValues("lamina.caches.a.l1.maximum-size=1")
        .run(ctx -> assertThat(ctx.getBean(LaminaCaches.class).get("a").config().namespace()).isEqualTo("lamina"));
  }

  @Test
  void dynamicCachesOff_unknownNamesAreRefused_configuredOnesServed() {
    runner.withUserConfiguration(Caching.class)
        .withPropertyValues("lamina.dynamic-caches=false", "lamina.caches.known.l1.maximum-size=10")
        .run(ctx -> {
          CacheManager manager = ctx.getBean(CacheManager.class);
          assertThat(manager.getCache("known")).isNotNull();
          assertThat(manager.getCache("unknown")).isNull();
          assertThat(ctx.getBean(LaminaCaches.class).names()).containsExactly("known");
        });
  }

  @Test
  void dynamicCachesOn_unknownNamesAreBuiltWithTheDefaults() {
    runner.withUserConfiguration(Caching.class).withPropertyValues("lamina.defaults.l1.maximum-size=33")
        .run(ctx -> {
          assertThat(ctx.getBean(CacheManager.class).getCache("later")).isNotNull();
          assertThat(ctx.getBean(LaminaCaches.class).get("later").config().l1MaximumSize()).isEqualTo(33);
        });
  }

  @Test
  void dynamicCachesBeyondTheCap_areRefusedNamingTheProperty_countedAndConfiguredOnesNotCounted() {
    runner.withUserConfiguration(Caching.class)
        .withPropertyValues("lamina.max-dynamic-caches=2", "lamina.caches.known.l1.maximum-size=10")
        .run(ctx -> {
          CacheManager manager = ctx.getBean(CacheManager.class);
          SimpleMeterRegistry registry = new SimpleMeterRegistry();
          ctx.getBean("laminaCacheMetrics", MeterBinder.class).bindTo(registry);
          assertThat(manager.getCache("a")).isNotNull();
          assertThat(manager.getCache("b")).isNotNull();
          assertThat(manager.getCache("known")).as("configured caches do not count").isNotNull();
          assertThat(manager.getCache("a")).as("an existing one is served").isNotNull();
          assertThatThrownBy(() -> manager.getCache("c")).isInstanceOf(IllegalStateException.class)
              .hasMessageContaining("lamina.max-dynamic-caches").hasMessageContaining("2").hasMessageContaining("'c'");
          assertThatThrownBy(() -> manager.getCache("d")).isInstanceOf(IllegalStateException.class);
          assertThat(ctx.getBean(LaminaCaches.class).names()).containsExactly("a", "b", "known");
          assertThat(registry.get("lamina.caches.refused").functionCounter().count()).isEqualTo(2);
        });
  }

  @Test
  void dynamicCaches_areCappedAtAHundredByDefault() {
    runner.run(ctx -> {
      LaminaCaches caches = ctx.getBean(LaminaCaches.class);
      for (int i = 0; i < 100; i++) {
        assertThat(caches.getOrCreate("c" + i)).isNotNull();
      }
      assertThatThrownBy(() -> caches.getOrCreate("c100")).hasMessageContaining("lamina.max-dynamic-caches");
    });
  }

  @Test
  void negativeMaxDynamicCaches_failsAtStartUpNamingTheProperty() {
    runner.withPropertyValues("lamina.max-dynamic-caches=-1")
        .run(ctx -> assertThat(messages(ctx.getStartupFailure())).contains("lamina.max-dynamic-caches")
            .contains("-1"));
  }

  @Test
  void putMode_property_choosesWhatPutDoes() {
    runner.withUserConfiguration(Caching.class)
        .withPropertyValues("lamina.caches.stored.put-mode=store", "lamina.caches.plain.l1.maximum-size=10",
            "lamina.transaction-aware=false")
        .run(ctx -> {
          CacheManager manager = ctx.getBean(CacheManager.class);
          manager.getCache("stored").put("k", "v");
          manager.getCache("plain").put("k", "v");
          assertThat(manager.getCache("stored").get("k", String.class)).isEqualTo("v");
          assertThat(manager.getCache("plain").get("k")).as("invalidate by default").isNull();
        });
  }

  @Test
  void transactionAware_decoratesCaches_unlessOffOrWithoutSpringTx() {
    runner.withUserConfiguration(Caching.class)
        .run(ctx -> assertThat(ctx.getBean(CacheManager.class).getCache("c"))
            .isInstanceOf(TransactionAwareCacheDecorator.class));
    runner.withUserConfiguration(Caching.class).withPropertyValues("lamina.transaction-aware=false")
        .run(ctx -> assertThat(ctx.getBean(CacheManager.class).getCache("c")).isInstanceOf(LaminaCache.class));
    runner.withUserConfiguration(Caching.class)
        .withClassLoader(new FilteredClassLoader("org.springframework.transaction"))
        .run(ctx -> assertThat(ctx.getBean(CacheManager.class).getCache("c")).isInstanceOf(LaminaCache.class));
  }

  @Configuration(proxyBeanMethods = false)
  static class Customized {
    @Bean
    LaminaCacheCustomizer negativeTtl() {
      return cache -> {
        if (cache.name().equals("special")) {
          cache.config().negativeTtl(Duration.ofSeconds(3));
          cache.putMode(PutMode.STORE);
        }
      };
    }

    @Bean
    CacheKeyConverter myKeys() {
      return key -> "k-" + key;
    }
  }

  @Test
  void customizersAndUserKeyConverter_apply() {
    runner.withUserConfiguration(Caching.class, Customized.class)
        .withPropertyValues("lamina.caches.special.negative-ttl=9s", "lamina.transaction-aware=false")
        .run(ctx -> {
          assertThat(ctx).hasSingleBean(CacheKeyConverter.class);
          assertThat(ctx.getBean(LaminaCaches.class).get("special").config().negativeTtl())
              .as("customizers run after the properties").isEqualTo(Duration.ofSeconds(3));
          LaminaCache cache = (LaminaCache) ctx.getBean(CacheManager.class).getCache("special");
          cache.put(1, "one");
          assertThat(cache.getNativeCache().getIfPresent("k-1")).as("user converter, STORE mode").isEqualTo("one");
        });
  }

  @Test
  void localOnly_cachesHaveNoL2_andNoBus() {
    runner.withPropertyValues("lamina.caches.a.l1.maximum-size=10").run(ctx -> {
      assertThat(ctx).doesNotHaveBean(RedissonClient.class).doesNotHaveBean(RemoteTier.class)
          .doesNotHaveBean(InvalidationBus.class);
      Inspection state = ctx.getBean(LaminaCaches.class).get("a").inspect("x");
      assertThat(state.l2()).as("no remote tier").isNull();
      assertThat(state.l1().state()).isEqualTo(Inspection.LocalState.ABSENT);
    });
  }

  @Configuration(proxyBeanMethods = false)
  static class UserBus {
    final InMemoryBusNetwork network = new InMemoryBusNetwork();

    @Bean
    InvalidationBus myBus() {
      return network.connect();
    }
  }

  @Test
  void busAuthKeys_dropForgedMessages_andBadKeysFailNamingThePropertyNotTheKey() {
    String key = Base64.getEncoder().encodeToString(new byte[32]);
    runner.withUserConfiguration(UserBus.class)
        .withPropertyValues("lamina.caches.a.l1.maximum-size=10", "lamina.bus.auth-keys=" + key)
        .run(ctx -> {
          TieredCache<String, Object> a = ctx.getBean(LaminaCaches.class).get("a");
          BusChannel forger = ctx.getBean(UserBus.class).network.connect().open("lamina",
              new BusListener() {
                @Override
                public void onMessage(byte[] message) {}

                @Override
                public void onGap(String reason) {}
              });
          forger.publish(new InvalidationMessage(InvalidationMessage.Kind.FLUSH,
              UUID.randomUUID(), 1, 1, 0, "a", List.of()).encode());
          Awaitility.await().atMost(Duration.ofSeconds(5))
              .until(() -> a.coherence().malformed() > 0);
        });
    runner.withUserConfiguration(UserBus.class)
        .withPropertyValues("lamina.caches.a.l1.maximum-size=10", "lamina.bus.auth-keys=secret-not-base64!")
        .run(ctx -> assertThat(messages(ctx.getStartupFailure())).contains("lamina.bus.auth-keys[0]")
            .doesNotContain("secret-not-base64"));
    runner.withUserConfiguration(UserBus.class)
        .withPropertyValues("lamina.caches.a.l1.maximum-size=10", "lamina.bus.auth-keys=c2hvcnQ=")
        .run(ctx -> assertThat(messages(ctx.getStartupFailure())).contains("lamina.bus.auth-keys")
            .contains("at least 32"));
  }

  @Test
  void userInvalidationBus_isUsed() {
    runner.withUserConfiguration(UserBus.class).withPropertyValues("lamina.caches.a.l1.maximum-size=10")
        .run(ctx -> {
          assertThat(ctx).hasSingleBean(InvalidationBus.class);
          TieredCache<String, Object> a = ctx.getBean(LaminaCaches.class).get("a");
          a.invalidate("x");
          Awaitility.await().atMost(Duration.ofSeconds(5))
              .until(() -> a.coherence().invalidationsSent() > 0); // sent in a batch, a moment later
        });
  }

  @Configuration(proxyBeanMethods = false)
  static class UserRedisson {
    @Bean(destroyMethod = "shutdown")
    RedissonClient myRedisson() throws IOException {
      Config config = new Config();
      config.setLazyInitialization(true);
      config.useSingleServer().setAddress("redis://127.0.0.1:" + closedPort()).setRetryAttempts(0);
      return Redisson.create(config);
    }
  }

  @Test
  void userRedissonClient_wins_andBecomesL2AndTheBus() {
    // No cache is built here: joining the Redis bus subscribes, and this client's Redis does not exist.
    withRedis.withUserConfiguration(UserRedisson.class).withPropertyValues("lamina.redis.address=redis://127.0.0.1:1")
        .run(ctx -> {
          assertThat(ctx).hasSingleBean(RedissonClient.class).hasBean("myRedisson").hasSingleBean(RemoteTier.class)
              .hasSingleBean(InvalidationBus.class);
          assertThat(ctx.getBean(InvalidationBus.class).name()).contains("redis");
        });
    withRedis.withUserConfiguration(UserRedisson.class)
        .withPropertyValues("lamina.bus.type=none", "lamina.caches.a.l1.maximum-size=10")
        .run(ctx -> assertThat(ctx.getBean(LaminaCaches.class).get("a").inspect("x").l2()).as("L2 in use")
            .isNotNull());
    withRedis.withUserConfiguration(UserRedisson.class)
        .withPropertyValues("lamina.redis.enabled=false", "lamina.caches.a.l1.maximum-size=10")
        .run(ctx -> {
          assertThat(ctx).doesNotHaveBean(RemoteTier.class).doesNotHaveBean(InvalidationBus.class);
          assertThat(ctx.getBean(LaminaCaches.class).get("a").inspect("x").l2()).isNull();
        });
    withRedis.withUserConfiguration(UserRedisson.class)
        .withPropertyValues("lamina.bus.type=none", "lamina.caches.a.l1.maximum-size=10")
        .run(ctx -> assertThat(ctx).hasSingleBean(RemoteTier.class).doesNotHaveBean(InvalidationBus.class));
  }

  @Test
  void localOnly_leavesTheApplicationsRedissonClientAlone() {
    withRedis.withUserConfiguration(UserRedisson.class)
        .withPropertyValues("lamina.local-only=true", "lamina.caches.a.l1.maximum-size=10")
        .run(ctx -> {
          assertThat(ctx).hasNotFailed().hasBean("myRedisson").doesNotHaveBean(RemoteTier.class)
              .doesNotHaveBean(InvalidationBus.class);
          assertThat(ctx.getBean(LaminaCaches.class).get("a").inspect("x").l2()).isNull();
        });
  }

  @Test
  void localOnlyWithARemoteTierBean_failsAsContradictory() {
    runner.withBean(RemoteTier.class, InMemoryRemoteTier::new)
        .run(ctx -> assertThat(messages(ctx.getStartupFailure()))
            .contains("lamina.local-only=true contradicts the application's RemoteTier bean"));
  }

  @Test
  void perCacheL2Off_keepsThatCacheLocal() {
    withRedis.withUserConfiguration(UserRedisson.class)
        .withPropertyValues("lamina.bus.type=none", "lamina.caches.local.l2.enabled=false",
            "lamina.caches.shared.l1.maximum-size=10")
        .run(ctx -> {
          LaminaCaches caches = ctx.getBean(LaminaCaches.class);
          assertThat(caches.get("local").inspect("x").l2()).isNull();
          assertThat(caches.get("shared").inspect("x").l2()).isNotNull();
        });
  }

  @Configuration(proxyBeanMethods = false)
  static class ConfigCustomizer {
    static final AtomicBoolean CALLED = new AtomicBoolean();

    @Bean
    RedissonConfigCustomizer redissonCustomizer() {
      return config -> CALLED.set(config.isLazyInitialization());
    }
  }

  @Test
  void redisNotRequired_startsWithoutRedis_andCustomizersSeeTheConfig() throws IOException {
    withRedis.withUserConfiguration(ConfigCustomizer.class)
        .withPropertyValues("lamina.redis.address=redis://127.0.0.1:" + closedPort(), "lamina.redis.required=false",
            "lamina.bus.type=none")
        .run(ctx -> {
          assertThat(ctx).hasNotFailed().hasBean("laminaRedissonClient").hasSingleBean(RemoteTier.class);
          assertThat(ConfigCustomizer.CALLED).as("lazy initialization, seen by the customizer").isTrue();
        });
  }

  @Test
  void unreachableRequiredRedis_failsNamingTheProperty() throws IOException {
    int port = closedPort();
    withRedis.withPropertyValues("lamina.redis.address=redis://127.0.0.1:" + port,
            "lamina.redis.connect-timeout=500ms")
        .run(ctx -> assertThat(ctx).getFailure().rootCause().isNotNull()
            .satisfies(e -> assertThat(messages(ctx.getStartupFailure()))
                .contains("lamina.redis.address=redis://127.0.0.1:" + port)
                .contains("lamina.redis.required")));
  }

  @Test
  void badRedisAddress_failsNamingTheProperty() {
    withRedis.withPropertyValues("lamina.redis.address=127.0.0.1:6379")
        .run(ctx -> assertThat(messages(ctx.getStartupFailure())).contains("lamina.redis.address")
            .contains("redis://"));
  }

  @Test
  void negativeTtl_failsAtStartUpNamingTheProperty() {
    runner.withPropertyValues("lamina.caches.products.negative-ttl=-5s")
        .run(ctx -> assertThat(messages(ctx.getStartupFailure()))
            .contains("lamina.caches.products.negative-ttl").contains("must be positive"));
    runner.withPropertyValues("lamina.defaults.l2.ttl=0s")
        .run(ctx -> assertThat(messages(ctx.getStartupFailure())).contains("lamina.defaults.l2.ttl"));
  }

  @Test
  void conflictingTtls_failNamingBothProperties() {
    runner.withPropertyValues("lamina.caches.p.l1.expire-after-write=20m", "lamina.caches.p.l1.max-age=10m")
        .run(ctx -> assertThat(messages(ctx.getStartupFailure())).contains("lamina.caches.p")
            .contains("l1.expire-after-write").contains("l1.max-age"));
  }

  @Test
  void jitterOutOfRange_failsNamingTheProperty() {
    runner.withPropertyValues("lamina.caches.p.l1.ttl-jitter=1.5")
        .run(ctx -> assertThat(messages(ctx.getStartupFailure())).contains("lamina.caches.p.l1.ttl-jitter"));
  }

  @Test
  void badCacheName_failsNamingTheProperty() {
    runner.withPropertyValues("lamina.caches[bad name].l1.maximum-size=1")
        .run(ctx -> assertThat(messages(ctx.getStartupFailure())).contains("lamina.caches.bad name"));
  }

  @Test
  void unknownBusType_failsNamingTheProperty() {
    runner.withPropertyValues("lamina.bus.type=kafka")
        .run(ctx -> assertThat(messages(ctx.getStartupFailure())).contains("lamina.bus.type").contains("kafka"));
  }

  @Test
  void natsBusWithoutJnats_failsNamingThePropertyAndTheJar() {
    runner.withClassLoader(new FilteredClassLoader("io.nats.client")).withPropertyValues("lamina.bus.type=nats")
        .run(ctx -> assertThat(messages(ctx.getStartupFailure())).contains("lamina.bus.type")
            .contains("jnats is not on the classpath"));
  }

  @Test
  void unreachableNats_failsNamingTheUrl_andTheWayToStartWithoutIt() throws IOException {
    String url = "nats://127.0.0.1:" + closedPort();
    runner.withPropertyValues("lamina.bus.type=nats", "lamina.bus.nats.url=" + url)
        .run(ctx -> assertThat(messages(ctx.getStartupFailure())).contains("lamina.bus.nats.url=" + url)
            .contains("lamina.bus.nats.required=false"));
  }

  @Test
  void natsNotRequired_startsWhileNatsIsDown_degraded_withABusThatConnectsInTheBackground() throws IOException {
    String url = "nats://127.0.0.1:" + closedPort();
    runner.withPropertyValues("lamina.bus.type=nats", "lamina.bus.nats.url=" + url,
            "lamina.bus.nats.required=false", "lamina.caches.a.l1.maximum-size=10")
        .run(ctx -> {
          assertThat(ctx).hasNotFailed().doesNotHaveBean(Connection.class).hasSingleBean(InvalidationBus.class);
          BackgroundNatsBus bus = ctx.getBean(BackgroundNatsBus.class);
          assertThat(bus.connected()).isFalse();
          assertThat(bus.name()).isEqualTo("nats");
          assertThat(ctx.getBean(LaminaCaches.class).get("a").coherence().trusted()).isFalse();
          Health nats = ((HealthIndicator) ((CompositeHealthContributor) ctx.getBean("laminaHealthContributor"))
              .getContributor("nats")).health();
          assertThat(nats.getStatus()).isEqualTo(Status.DOWN);
          assertThat(nats.getDetails()).containsEntry("status", "NOT_CONNECTED").containsEntry("server", url);
        });
    runner.withPropertyValues("lamina.bus.type=nats", "lamina.bus.nats.url=" + url,
            "lamina.bus.nats.required=false", "lamina.bus.nats.jetstream=true")
        .run(ctx -> assertThat(ctx.getBean(BackgroundNatsBus.class).name()).isEqualTo("nats-jetstream"));
  }

  @Test
  void redisBusWithoutRedis_failsNamingTheProperty() {
    runner.withPropertyValues("lamina.bus.type=redis")
        .run(ctx -> assertThat(messages(ctx.getStartupFailure())).contains("lamina.bus.type")
            .contains("lamina.redis.address"));
  }

  @Test
  void badBusTimings_failNamingTheProperties() {
    runner.withPropertyValues("lamina.bus.heartbeat-interval=2s", "lamina.bus.detection-time=3s")
        .run(ctx -> assertThat(messages(ctx.getStartupFailure())).contains("lamina.bus.detection-time")
            .contains("lamina.bus.heartbeat-interval"));
  }

  @Test
  void stalenessBound_isSetByItsProperty_andDefaultsToFiveHeartbeats() {
    runner.withPropertyValues("lamina.bus.staleness-bound=300ms")
        .run(ctx -> assertThat(ctx.getBean(BusConfig.class).stalenessBound())
            .isEqualTo(Duration.ofMillis(300)));
    runner.withPropertyValues("lamina.bus.heartbeat-interval=200ms")
        .run(ctx -> assertThat(ctx.getBean(BusConfig.class).stalenessBound())
            .isEqualTo(Duration.ofSeconds(1)));
  }

  @Test
  void stalenessBoundUnderTwoHeartbeats_failsNamingTheProperties() {
    runner.withPropertyValues("lamina.bus.staleness-bound=150ms")
        .run(ctx -> assertThat(messages(ctx.getStartupFailure())).contains("lamina.bus.staleness-bound")
            .contains("lamina.bus.heartbeat-interval"));
  }

  @Test
  void jsonCodecWithSeveralTypes_failsNamingTheProperty() {
    withRedis.withUserConfiguration(UserRedisson.class)
        .withPropertyValues("lamina.bus.type=none", "lamina.caches.p.codec=json",
            "lamina.caches.p.value-types=java.lang.String,java.lang.Integer")
        .run(ctx -> assertThat(messages(ctx.getStartupFailure())).contains("lamina.caches.p.value-types"));
  }

  @Test
  void writeThroughWithoutWriter_failsNamingTheProperty() {
    withRedis.withUserConfiguration(UserRedisson.class)
        .withPropertyValues("lamina.bus.type=none", "lamina.caches.p.write-strategy=write-through")
        .run(ctx -> assertThat(messages(ctx.getStartupFailure())).contains("lamina.caches.p")
            .contains("write-strategy").contains("LaminaCacheCustomizer"));
  }

  @Test
  void metrics_boundWithMicrometer_absentWithout() {
    runner.run(ctx -> assertThat(ctx).hasBean("laminaCacheMetrics"));
    runner.withClassLoader(new FilteredClassLoader("io.micrometer"))
        .run(ctx -> assertThat(ctx).hasNotFailed().doesNotHaveBean(MeterBinder.class));
  }

  @Test
  void endpoint_whenExposed_absentOtherwiseOrWithoutActuator() {
    runner.withPropertyValues("management.endpoints.web.exposure.include=lamina")
        .run(ctx -> assertThat(ctx).hasSingleBean(LaminaEndpoint.class));
    runner.run(ctx -> assertThat(ctx).doesNotHaveBean(LaminaEndpoint.class));
    runner.withPropertyValues("management.endpoints.web.exposure.include=lamina")
        .withClassLoader(new FilteredClassLoader("org.springframework.boot.actuate"))
        .run(ctx -> assertThat(ctx).hasNotFailed().doesNotHaveBean(LaminaEndpoint.class));
  }

  @Test
  void health_onByDefault_offByPropertyOrWithoutBootHealth() {
    runner.run(ctx -> assertThat(ctx).hasBean("laminaHealthContributor"));
    runner.withPropertyValues("management.health.lamina.enabled=false")
        .run(ctx -> assertThat(ctx).doesNotHaveBean("laminaHealthContributor"));
    runner.withClassLoader(new FilteredClassLoader("org.springframework.boot.health"))
        .run(ctx -> assertThat(ctx).hasNotFailed().doesNotHaveBean(HealthContributor.class));
  }

  @Test
  void withoutRedisson_startUpFailsSayingWhatToAdd_unlessLocalOnly() {
    withRedis.withClassLoader(new FilteredClassLoader(RedissonClient.class))
        .withPropertyValues("lamina.redis.address=redis://127.0.0.1:1", "lamina.caches.a.l1.maximum-size=10")
        .run(ctx -> assertThat(messages(ctx.getStartupFailure())).contains("Lamina found no Redis client")
            .contains("io.lamina:lamina-l2-redis").contains("lamina.local-only=true"));
    runner.withClassLoader(new FilteredClassLoader(RedissonClient.class))
        .withPropertyValues("lamina.caches.a.l1.maximum-size=10")
        .run(ctx -> {
          assertThat(ctx).hasNotFailed().doesNotHaveBean(RemoteTier.class);
          assertThat(ctx.getBean(LaminaCaches.class).get("a").inspect("x").l2()).isNull();
        });
  }

  static int closedPort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }

  /** Every message in the cause chain, so an assertion sees the one Lamina wrote wherever Spring wrapped it. */
  static String messages(Throwable failure) {
    StringBuilder all = new StringBuilder();
    for (Throwable t = failure; t != null; t = t.getCause()) {
      all.append(t.getMessage()).append('\n');
    }
    return all.toString();
  }
}
