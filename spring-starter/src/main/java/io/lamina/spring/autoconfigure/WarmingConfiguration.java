package io.lamina.spring.autoconfigure;

import io.lamina.CacheLoader;
import io.lamina.InvalidSettingException;
import io.lamina.KeyCodecs;
import io.lamina.TieredCache;
import io.lamina.spi.RemoteTier;
import io.lamina.spring.LaminaCaches;
import io.lamina.spring.LaminaWarmupSource;
import io.lamina.spring.LaminaWarmups;
import io.lamina.warming.CacheWarmer;
import io.lamina.warming.HotKeyRefresher;
import io.lamina.warming.WarmingMetrics;
import io.lamina.warming.WarmupConfig;
import io.lamina.warming.WarmupMode;
import io.lamina.warming.WarmupSource;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.availability.ApplicationAvailability;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Start-up warming of the caches whose {@code lamina.caches.<name>.warming.enabled} is true: the warmers are
 * built (and their settings checked) with the context, started when it starts, cancelled when it stops; their
 * progress goes to meters and the endpoint, and readiness waits for the caches that ask for it.
 */
@Configuration(proxyBeanMethods = false)
class WarmingConfiguration {

  private static final Logger log = LoggerFactory.getLogger(WarmingConfiguration.class);

  @Bean(destroyMethod = "stop")
  LaminaWarmups laminaWarmups(LaminaProperties properties, LaminaCaches caches, ObjectProvider<RemoteTier> remote,
      ObjectProvider<LaminaWarmupSource> sources, ObjectProvider<MeterRegistry> registry) {
    Map<String, CacheWarmer<String, Object>> warmers = new LinkedHashMap<>();
    Map<String, HotKeyRefresher> refreshers = new LinkedHashMap<>();
    Set<String> gating = new LinkedHashSet<>();
    List<LaminaWarmupSource> all = sources.orderedStream().toList();
    RemoteTier tier = properties.getRedis().isEnabled() ? remote.getIfAvailable() : null;
    for (Map.Entry<String, CacheSpec> e : properties.getCaches().entrySet()) {
      String name = e.getKey();
      WarmingProperties own = e.getValue().getWarming();
      WarmingProperties defaults = properties.getDefaults().getWarming();
      if (Boolean.TRUE.equals(pick(own, defaults, w -> w.getRefresh().getEnabled()))) {
        TieredCache<String, Object> cache = caches.getOrCreate(name);
        if (cache != null) {
          refreshers.put(name, refresher(name, cache, own, defaults, all, refreshers));
        }
      }
      if (!Boolean.TRUE.equals(pick(own, defaults, WarmingProperties::getEnabled))) {
        continue;
      }
      TieredCache<String, Object> cache = caches.getOrCreate(name);
      if (cache == null) {
        continue;
      }
      warmers.put(name, warmer(name, cache, own, defaults, all, tier));
      if (Boolean.TRUE.equals(pick(own, defaults, WarmingProperties::getReadiness))) {
        gating.add(name);
      }
    }
    for (LaminaWarmupSource source : all) {
      if (!warmers.containsKey(source.cache())) {
        log.warn("Lamina: {} names cache '{}', whose warming is not enabled"
            + " (lamina.caches.{}.warming.enabled=true); it is not used", source.name(), source.cache(), source.cache());
      }
    }
    LaminaWarmups warmups = new LaminaWarmups(warmers, gating, refreshers);
    MeterRegistry meters = registry.getIfAvailable();
    if (meters != null) {
      warmups.onStart(w -> WarmingMetrics.bind(w, meters));
      refreshers.values().forEach(r -> WarmingMetrics.bind(r, meters));
    }
    return warmups;
  }

  @Bean
  SmartLifecycle laminaWarmupsLifecycle(LaminaWarmups warmups) {
    return new SmartLifecycle() {
      private volatile boolean running;

      @Override
      public void start() {
        warmups.start();
        running = true;
      }

      @Override
      public void stop() {
        warmups.stop();
        running = false;
      }

      @Override
      public boolean isRunning() {
        return running;
      }
    };
  }

  @Bean
  WarmupReadiness laminaWarmupReadiness(LaminaWarmups warmups, ApplicationEventPublisher publisher,
      ObjectProvider<ApplicationAvailability> availability) {
    availability.getIfAvailable(); // built first, so it hears Boot's ACCEPTING_TRAFFIC before this listener does
    return new WarmupReadiness(warmups, publisher);
  }

  private static CacheWarmer<String, Object> warmer(String name, TieredCache<String, Object> cache,
      WarmingProperties own, WarmingProperties defaults, List<LaminaWarmupSource> all, @Nullable RemoteTier tier) {
    String prefix = "lamina.caches." + name + ".warming";
    WarmupConfig.Builder config = WarmupConfig.custom();
    set(name, own, defaults, "mode", WarmingProperties::getMode, config::mode);
    set(name, own, defaults, "batch-size", WarmingProperties::getBatchSize, config::batchSize);
    set(name, own, defaults, "source-rate-limit", WarmingProperties::getSourceRateLimit, config::sourceRateLimit);
    set(name, own, defaults, "concurrency", WarmingProperties::getConcurrency, config::concurrency);
    set(name, own, defaults, "max-keys", WarmingProperties::getMaxKeys, config::maxKeys);
    set(name, own, defaults, "deadline", WarmingProperties::getDeadline, config::deadline);
    set(name, own, defaults, "progress-interval", WarmingProperties::getProgressInterval, config::progressInterval);
    CacheWarmer.Builder<String, Object> b = CacheWarmer.newBuilder(cache);
    List<String> keys = pick(own, defaults, WarmingProperties::getKeys);
    if (keys != null && !keys.isEmpty()) {
      b.keys(keys);
    }
    Integer hot = pick(own, defaults, WarmingProperties::getRecordedHotKeys);
    if (hot != null && hot > 0) {
      if (tier == null) {
        throw new InvalidConfigurationPropertyValueException(prefix + ".recorded-hot-keys", hot,
            "hot keys are recorded in Redis, and this application has none: set lamina.redis.address");
      }
      b.source(WarmupSource.recordedHotKeys(cache, tier, KeyCodecs.strings(), hot));
    }
    CacheLoader<String, Object> loader = null;
    boolean any = keys != null && !keys.isEmpty() || hot != null && hot > 0;
    for (LaminaWarmupSource source : all) {
      if (source.cache().equals(name)) {
        b.source(source);
        any = true;
        if (loader == null) {
          loader = source.loader();
        }
      }
    }
    if (!any) {
      throw new InvalidConfigurationPropertyValueException(prefix + ".enabled", true, "there are no keys to warm:"
          + " set " + prefix + ".keys or " + prefix + ".recorded-hot-keys, or declare a LaminaWarmupSource bean"
          + " for cache '" + name + "'");
    }
    WarmupConfig built = config.build();
    if (built.mode() == WarmupMode.L2_THEN_SOURCE && loader == null) {
      log.info("Lamina: {}: no LaminaWarmupSource bean gives a loader, so only what Redis holds is copied"
          + " (as with {}.mode=l2-only)", prefix, prefix);
      built = WarmupConfig.from(built).mode(WarmupMode.L2_ONLY).build();
    }
    if (loader != null) {
      b.loader(loader);
    }
    return b.config(built).build();
  }

  /** A running refresher of {@code cache}'s hot keys; closes the ones already started when a setting is wrong. */
  private static HotKeyRefresher refresher(String name, TieredCache<String, Object> cache, WarmingProperties own,
      WarmingProperties defaults, List<LaminaWarmupSource> all, Map<String, HotKeyRefresher> started) {
    String prefix = "lamina.caches." + name + ".warming.refresh";
    CacheLoader<String, Object> loader = null;
    for (LaminaWarmupSource source : all) {
      if (loader == null && source.cache().equals(name)) {
        loader = source.loader();
      }
    }
    try {
      if (loader == null) {
        throw new InvalidConfigurationPropertyValueException(prefix + ".enabled", true, "refreshing reloads from"
            + " the source: declare a LaminaWarmupSource bean for cache '" + name + "' whose loader() is not null");
      }
      if (cache.config().protection().hotKeys() == 0) {
        throw new InvalidConfigurationPropertyValueException(prefix + ".enabled", true, "only hot keys are"
            + " refreshed: set lamina.caches." + name + ".protection.hot-keys (for example 100)");
      }
      Duration period = orElse(pick(own, defaults, w -> w.getRefresh().getPeriod()), Duration.ofSeconds(30));
      Duration ahead = orElse(pick(own, defaults, w -> w.getRefresh().getAhead()), Duration.ofMinutes(2));
      int rate = orElse(pick(own, defaults, w -> w.getRefresh().getRateLimit()), 100);
      try {
        return HotKeyRefresher.start(cache, KeyCodecs.strings(), period, ahead, rate, loader);
      } catch (InvalidSettingException e) {
        Map<String, String> properties = Map.of(
            "warming.refresh.period", where(name, own, defaults, "refresh.period", w -> w.getRefresh().getPeriod()),
            "warming.refresh.ahead", where(name, own, defaults, "refresh.ahead", w -> w.getRefresh().getAhead()),
            "warming.refresh.rateLimit",
            where(name, own, defaults, "refresh.rate-limit", w -> w.getRefresh().getRateLimit()),
            "l2.ttl", "lamina.caches." + name + ".l2.ttl");
        throw new InvalidConfigurationPropertyValueException(properties.getOrDefault(e.setting(), prefix),
            e.value(), e.requirement(setting -> properties.getOrDefault(setting, setting)));
      }
    } catch (RuntimeException e) {
      started.values().forEach(HotKeyRefresher::close);
      throw e;
    }
  }

  private static <T> T orElse(@Nullable T value, T otherwise) {
    return value != null ? value : otherwise;
  }

  /** The property {@code warming.<property>} of cache {@code name} came from: its own, else the default's. */
  private static String where(String name, WarmingProperties own, WarmingProperties defaults, String property,
      Function<WarmingProperties, ? extends @Nullable Object> get) {
    return get.apply(own) == null && get.apply(defaults) != null ? "lamina.defaults.warming." + property
        : "lamina.caches." + name + ".warming." + property;
  }

  private static <T> @Nullable T pick(WarmingProperties own, WarmingProperties defaults,
      Function<WarmingProperties, @Nullable T> get) {
    T value = get.apply(own);
    return value != null ? value : get.apply(defaults);
  }

  /** Sets {@code warming.<property>} of cache {@code name}; a value refused is reported under that property. */
  private static <T> void set(String name, WarmingProperties own, WarmingProperties defaults, String property,
      Function<WarmingProperties, @Nullable T> get, Consumer<T> set) {
    T value = pick(own, defaults, get);
    if (value != null) {
      try {
        set.accept(value);
      } catch (InvalidSettingException e) {
        throw new InvalidConfigurationPropertyValueException(where(name, own, defaults, property, get), value,
            e.requirement(UnaryOperator.identity()));
      }
    }
  }
}
