package io.lamina.spring.autoconfigure;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Import;

/**
 * Auto-configuration of Lamina: a Redis client and an invalidation bus (unless the application has its own),
 * the caches ({@link io.lamina.spring.LaminaCaches}), a Spring {@code CacheManager} when caching is enabled,
 * Micrometer meters, the {@code lamina} Actuator endpoint and health contributors.
 *
 * <p>Ordered before Boot's cache auto-configuration, which then backs off because a {@code CacheManager} exists.
 * The pieces are package-private configurations, each guarded by the classes and beans it needs; the import
 * order matters, because later pieces look for the beans earlier ones may define.
 */
@AutoConfiguration(beforeName = "org.springframework.boot.cache.autoconfigure.CacheAutoConfiguration")
@ConditionalOnBooleanProperty(name = "lamina.enabled", matchIfMissing = true)
@EnableConfigurationProperties(LaminaProperties.class)
@Import({
    RedisConfiguration.class,
    NatsConfiguration.class,
    BusConfiguration.class,
    CachesConfiguration.class,
    CacheManagerConfiguration.class,
    WarmingConfiguration.class,
    MetricsConfiguration.class,
    EndpointConfiguration.class,
    HealthConfiguration.class})
public class LaminaAutoConfiguration {}
