package io.lamina.spring.autoconfigure;

import io.lamina.AuthenticatedBus;
import io.lamina.BusConfig;
import io.lamina.caffeine.CaffeineLocalTier;
import io.lamina.codec.jackson3.Jackson3ValueCodec;
import io.lamina.spi.InvalidationBus;
import io.lamina.spi.RemoteTier;
import io.lamina.spi.ValueCodec;
import io.lamina.spring.CacheKeyConverter;
import io.lamina.spring.LaminaCacheCustomizer;
import io.lamina.spring.LaminaCaches;
import io.lamina.spring.autoconfigure.LaminaProperties.BusType;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.util.ClassUtils;
import tools.jackson.databind.json.JsonMapper;

/**
 * The caches: how keys become ids, how a cache is built from the properties, and the registry that builds the
 * configured ones at start-up. This is where a bus or Redis that was asked for but cannot exist is reported, and
 * caches left without Redis that were not declared local-only ({@link LocalOnlyCheck}).
 */
@Configuration(proxyBeanMethods = false)
class CachesConfiguration {

  private static final Logger log = LoggerFactory.getLogger(CachesConfiguration.class);
  static final String CACHES_BEAN = "laminaCaches";

  @Bean
  @ConditionalOnMissingBean
  CacheKeyConverter laminaCacheKeyConverter() {
    return CacheKeyConverter.standard();
  }

  @Bean
  CacheFactory laminaCacheFactory(LaminaProperties properties, Environment environment,
      ObjectProvider<RemoteTier> remote, ObjectProvider<InvalidationBus> bus, BusConfig busConfig,
      ObjectProvider<LaminaCacheCustomizer> customizers, ObjectProvider<JsonCodecs> json,
      ConfigurableListableBeanFactory beanFactory) {
    RemoteTier remoteTier = properties.getRedis().isEnabled() ? remote.getIfAvailable() : null;
    LocalOnlyCheck.check(properties, environment, remoteTier, beanFactory.getBeanClassLoader());
    InvalidationBus invalidationBus = authenticated(properties, bus(properties, bus.getIfAvailable(), remoteTier,
        beanFactory.getBeanClassLoader()));
    JsonCodecs jsonCodecs = json.getIfAvailable();
    Function<Class<?>, ValueCodec<Object>> jsonFactory = type -> {
      if (jsonCodecs == null) {
        throw new IllegalStateException("codec json needs Jackson 3 (tools.jackson.core:jackson-databind) on the"
            + " classpath");
      }
      return jsonCodecs.codec(type);
    };
    CacheFactory factory = new CacheFactory(properties, namespace(properties, environment),
        CaffeineLocalTier.provider(), remoteTier, invalidationBus, busConfig, customizers.orderedStream().toList(),
        jsonFactory);
    factory.checkDefaults();
    return factory;
  }

  @Bean(name = CACHES_BEAN, destroyMethod = "close")
  @ConditionalOnMissingBean
  LaminaCaches laminaCaches(LaminaProperties properties, CacheFactory factory,
      ConfigurableListableBeanFactory beanFactory) {
    // Close the caches before the clients they use: the bus and the remote tier must outlive them.
    for (Class<?> used : List.of(RemoteTier.class, InvalidationBus.class)) {
      for (String name : beanFactory.getBeanNamesForType(used, false, false)) {
        beanFactory.registerDependentBean(name, CACHES_BEAN);
      }
    }
    int maxDynamic = properties.getMaxDynamicCaches();
    if (maxDynamic < 0) {
      throw new InvalidConfigurationPropertyValueException("lamina.max-dynamic-caches", maxDynamic,
          "must be at least 0 (0 allows no cache that is not named under lamina.caches)");
    }
    LaminaCaches caches = new LaminaCaches(factory, properties.getCaches().keySet(), properties.isDynamicCaches(),
        maxDynamic);
    StartupSummary.log(properties, caches, factory, beanFactory);
    return caches;
  }

  /**
   * Jackson 3 codecs on the application's mapper (its modules and features), when Jackson 3 is on the classpath.
   * Default typing is always turned off on the codecs' copy: with it on, a class id found in Redis would choose
   * the class Jackson instantiates, and anyone who can write to Redis could pick it.
   */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass(name = {"tools.jackson.databind.json.JsonMapper",
      "io.lamina.codec.jackson3.Jackson3ValueCodec"})
  static class Json {

    @Bean
    JsonCodecs laminaJsonCodecs(ObjectProvider<JsonMapper> mapper) {
      JsonMapper json = mapper.getIfAvailable(() -> JsonMapper.builder().build())
          .rebuild().deactivateDefaultTyping().build();
      return type -> {
        @SuppressWarnings("unchecked")
        ValueCodec<Object> codec = (ValueCodec<Object>) (ValueCodec<?>) Jackson3ValueCodec.of(json, type);
        return codec;
      };
    }
  }

  /** Makes a JSON codec for a value class. */
  @FunctionalInterface
  interface JsonCodecs {
    ValueCodec<Object> codec(Class<?> type);
  }

  /** The bus with lamina.bus.auth-keys applied; a key is never printed, only its position. */
  static @Nullable InvalidationBus authenticated(LaminaProperties properties, @Nullable InvalidationBus bus) {
    List<String> keys = properties.getBus().getAuthKeys();
    if (keys == null || keys.isEmpty()) {
      return bus;
    }
    if (bus == null) {
      throw new InvalidConfigurationPropertyValueException("lamina.bus.auth-keys", "(hidden)",
          "authentication keys are set but there is no bus (lamina.bus.type)");
    }
    List<byte[]> decoded = new ArrayList<>();
    for (int i = 0; i < keys.size(); i++) {
      try {
        decoded.add(Base64.getDecoder().decode(keys.get(i).trim()));
      } catch (IllegalArgumentException e) {
        throw new InvalidConfigurationPropertyValueException("lamina.bus.auth-keys[" + i + "]", "(hidden)",
            "not base64");
      }
    }
    try {
      AuthenticatedBus authenticated = AuthenticatedBus.wrap(bus, decoded);
      log.info("Lamina: bus messages are authenticated (HMAC-SHA256, " + keys.size() + " key(s))");
      return authenticated;
    } catch (IllegalArgumentException e) {
      throw new InvalidConfigurationPropertyValueException("lamina.bus.auth-keys", "(hidden)", e.getMessage());
    }
  }

  /** The bus to use, or null for none; fails when the chosen type cannot be had, naming the property. */
  private static @Nullable InvalidationBus bus(LaminaProperties properties, @Nullable InvalidationBus bus,
      @Nullable RemoteTier remote, @Nullable ClassLoader loader) {
    BusType type = properties.getBus().getType();
    if (type == BusType.NONE) {
      return null;
    }
    if (bus != null) {
      return bus;
    }
    if (type == BusType.NATS) {
      String reason = ClassUtils.isPresent("io.nats.client.Connection", loader)
          ? "no NATS connection could be made"
          : "jnats is not on the classpath: add io.nats:jnats, or choose lamina.bus.type=redis or none";
      throw new InvalidConfigurationPropertyValueException("lamina.bus.type", "nats", reason);
    }
    if (type == BusType.REDIS) {
      throw new InvalidConfigurationPropertyValueException("lamina.bus.type", "redis", "Redis Pub/Sub needs Redis:"
          + " set lamina.redis.address or lamina.redis.config, or declare a RedissonClient bean"
          + (properties.isLocalOnly() ? " (lamina.local-only is true: choose nats or none)"
              : properties.getRedis().isEnabled() ? "" : " (lamina.redis.enabled is false)"));
    }
    if (remote != null) {
      log.warn("Lamina: caches use Redis but no invalidation bus is available; other instances' L1 entries"
          + " stay until they expire");
    }
    return null;
  }

  /** lamina.namespace, else spring.application.name made fit for a key, else "lamina". */
  private static String namespace(LaminaProperties properties, Environment environment) {
    String namespace = properties.getNamespace();
    if (namespace != null) {
      return namespace;
    }
    String app = environment.getProperty("spring.application.name");
    if (app == null || app.isBlank()) {
      return "lamina";
    }
    String fit = app.trim().replaceAll("[^A-Za-z0-9._-]", "-");
    if (fit.length() > 128) {
      fit = fit.substring(0, 128);
    }
    if (!fit.equals(app)) {
      log.info("Lamina: namespace '{}' derived from spring.application.name '{}'; set lamina.namespace to choose",
          fit, app);
    }
    return fit;
  }
}
