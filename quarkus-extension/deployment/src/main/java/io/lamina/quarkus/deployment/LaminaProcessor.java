package io.lamina.quarkus.deployment;

import static io.quarkus.deployment.annotations.ExecutionTime.RUNTIME_INIT;

import io.lamina.quarkus.LaminaCacheCustomizer;
import io.lamina.quarkus.LaminaWarmupSource;
import io.lamina.quarkus.runtime.LaminaBuildConfig;
import io.lamina.quarkus.runtime.LaminaCaches;
import io.lamina.quarkus.runtime.LaminaRecorder;
import io.lamina.quarkus.runtime.LaminaWarmups;
import io.lamina.quarkus.runtime.health.CoherenceReadinessCheck;
import io.lamina.quarkus.runtime.health.NatsReadinessCheck;
import io.lamina.quarkus.runtime.health.RedisReadinessCheck;
import io.lamina.quarkus.runtime.health.WarmingReadinessCheck;
import io.lamina.quarkus.runtime.metrics.LaminaMeterBinder;
import io.lamina.quarkus.runtime.metrics.LaminaTimings;
import io.quarkus.arc.deployment.AdditionalBeanBuildItem;
import io.quarkus.arc.deployment.UnremovableBeanBuildItem;
import io.quarkus.bootstrap.classloading.QuarkusClassLoader;
import io.quarkus.cache.deployment.CacheManagerInfoBuildItem;
import io.quarkus.cache.runtime.CacheBuildConfig;
import io.quarkus.deployment.annotations.BuildProducer;
import io.quarkus.deployment.annotations.BuildStep;
import io.quarkus.deployment.annotations.Record;
import io.quarkus.deployment.builditem.CombinedIndexBuildItem;
import io.quarkus.deployment.builditem.FeatureBuildItem;
import io.quarkus.deployment.metrics.MetricsCapabilityBuildItem;
import io.quarkus.runtime.metrics.MetricsFactory;
import io.quarkus.runtime.configuration.ConfigurationException;
import io.quarkus.smallrye.health.deployment.spi.HealthBuildItem;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.jboss.jandex.DotName;
import org.jspecify.annotations.Nullable;

/**
 * Lamina as a cache type of Quarkus' cache extension ({@code quarkus.cache.type=lamina}), the bean that owns the
 * caches and their clients, and, when the application has them, readiness checks and meters.
 */
class LaminaProcessor {

  private static final String FEATURE = "lamina";

  /**
   * The feature, when the extension is on. When it is off, a cache of type lamina would fail at start with
   * Quarkus' "Unknown cache type": the build fails now instead, naming both properties.
   */
  @BuildStep
  @Nullable FeatureBuildItem feature(LaminaBuildConfig config, CacheBuildConfig cache) {
    if (config.enabled()) {
      return new FeatureBuildItem(FEATURE);
    }
    if (LaminaRecorder.CACHE_TYPE.equals(cache.type())) {
      throw new ConfigurationException("quarkus.cache.type=lamina, but quarkus.lamina.enabled=false: enable the"
          + " extension, or choose another cache type", Set.of("quarkus.cache.type", "quarkus.lamina.enabled"));
    }
    for (Map.Entry<String, CacheBuildConfig.CacheTypeBuildConfig> e : cache.cacheTypeByName().entrySet()) {
      if (LaminaRecorder.CACHE_TYPE.equals(e.getValue().type())) {
        String property = "quarkus.cache.\"" + e.getKey() + "\".type";
        throw new ConfigurationException(property + "=lamina, but quarkus.lamina.enabled=false: enable the"
            + " extension, or choose another cache type", Set.of(property, "quarkus.lamina.enabled"));
      }
    }
    return null;
  }

  @BuildStep
  void beans(LaminaBuildConfig config, Optional<MetricsCapabilityBuildItem> metrics,
      BuildProducer<AdditionalBeanBuildItem> beans,
      BuildProducer<UnremovableBeanBuildItem> unremovable) {
    if (!config.enabled()) {
      return;
    }
    beans.produce(AdditionalBeanBuildItem.unremovableOf(LaminaCaches.class));
    beans.produce(AdditionalBeanBuildItem.unremovableOf(LaminaWarmups.class));
    // The application's clients, customizers and warm-up sources are looked up when the caches are built, not
    // injected: keep them.
    unremovable.produce(UnremovableBeanBuildItem.beanTypes(DotName.createSimple("org.redisson.api.RedissonClient"),
        DotName.createSimple("io.nats.client.Connection"),
        DotName.createSimple("com.fasterxml.jackson.databind.ObjectMapper"),
        DotName.createSimple(LaminaCacheCustomizer.class.getName()),
        DotName.createSimple(LaminaWarmupSource.class.getName())));
    if (config.metrics().enabled() && metrics.isPresent()
        && metrics.get().metricsSupported(MetricsFactory.MICROMETER)) {
      beans.produce(AdditionalBeanBuildItem.unremovableOf(LaminaMeterBinder.class));
      beans.produce(AdditionalBeanBuildItem.unremovableOf(LaminaTimings.class)); // looked up, not injected
    }
  }

  @BuildStep
  void health(LaminaBuildConfig config, BuildProducer<HealthBuildItem> health) {
    if (!config.enabled()) {
      return;
    }
    boolean on = config.health().enabled();
    health.produce(new HealthBuildItem(RedisReadinessCheck.class.getName(), on));
    health.produce(new HealthBuildItem(CoherenceReadinessCheck.class.getName(), on));
    health.produce(new HealthBuildItem(WarmingReadinessCheck.class.getName(), on));
    if (QuarkusClassLoader.isClassPresentAtRuntime("io.nats.client.Connection")) {
      health.produce(new HealthBuildItem(NatsReadinessCheck.class.getName(), on));
    }
  }

  @BuildStep
  @Record(RUNTIME_INIT)
  @Nullable CacheManagerInfoBuildItem cacheManagerInfo(LaminaBuildConfig config, LaminaRecorder recorder,
      CombinedIndexBuildItem index) {
    if (!config.enabled()) {
      return null;
    }
    Map<String, List<String>> valueTypes = ValueTypes.fromCacheResults(index.getIndex()).entrySet().stream()
        .collect(Collectors.toMap(Map.Entry::getKey, e -> new ArrayList<>(e.getValue())));
    return new CacheManagerInfoBuildItem(recorder.cacheManagerInfo(valueTypes));
  }
}
