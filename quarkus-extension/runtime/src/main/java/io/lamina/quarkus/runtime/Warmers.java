package io.lamina.quarkus.runtime;

import io.lamina.CacheLoader;
import io.lamina.InvalidSettingException;
import io.lamina.KeyCodecs;
import io.lamina.TieredCache;
import io.lamina.quarkus.LaminaWarmupSource;
import io.lamina.spi.RemoteTier;
import io.lamina.warming.CacheWarmer;
import io.lamina.warming.HotKeyRefresher;
import io.lamina.warming.WarmupConfig;
import io.lamina.warming.WarmupMode;
import io.lamina.warming.WarmupSource;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.ConcurrentHashMap;
import org.jboss.logging.Logger;
import org.jspecify.annotations.Nullable;

/**
 * Builds one cache's warmer and hot-key refresher from {@code quarkus.lamina.caches."name".warming.*} over
 * {@code quarkus.lamina.defaults.warming.*} and the application's {@link LaminaWarmupSource} beans; every value
 * the warming module refuses is reported under the property it came from. The warming module works on ids: keys
 * from sources are turned into ids here, and ids back into keys for the sources' loaders.
 */
final class Warmers {

  private static final Logger log = Logger.getLogger(Warmers.class);

  private final LaminaConfig config;
  private final @Nullable RemoteTier remote;
  private final List<LaminaWarmupSource> sources;

  Warmers(LaminaConfig config, @Nullable RemoteTier remote, List<LaminaWarmupSource> sources) {
    this.config = config;
    this.remote = remote;
    this.sources = List.copyOf(sources);
  }

  Settings settings(String name) {
    return new Settings(name, config.caches().get(name), config.defaults());
  }

  /** Checks {@code quarkus.lamina.defaults.warming.*} alone, so a bad default fails even if no cache is warmed. */
  void checkDefaults() {
    warmupConfig(new Settings(null, null, config.defaults()));
  }

  boolean enabled(Settings s) {
    return Boolean.TRUE.equals(s.value("warming.enabled", c -> c.warming().enabled()).value());
  }

  boolean refreshEnabled(Settings s) {
    return Boolean.TRUE.equals(s.value("warming.refresh.enabled", c -> c.warming().refresh().enabled()).value());
  }

  boolean readiness(Settings s) {
    return Boolean.TRUE.equals(s.value("warming.readiness", c -> c.warming().readiness()).value());
  }

  /** The warmer of {@code cache}, whose warming is enabled. */
  CacheWarmer<String, Object> warmer(TieredCache<String, Object> cache, Settings s) {
    WarmupConfig built = warmupConfig(s);
    CacheWarmer.Builder<String, Object> b = CacheWarmer.newBuilder(cache);
    Settings.Found<List<String>> keys = s.value("warming.keys", c -> c.warming().keys());
    boolean any = false;
    if (keys.value() != null && !keys.value().isEmpty()) {
      b.keys(keys.value());
      any = true;
    }
    Settings.Found<Integer> hot = s.value("warming.recorded-hot-keys", c -> boxed(c.warming().recordedHotKeys()));
    if (hot.value() != null && hot.value() != 0) {
      if (hot.value() < 0) {
        throw Settings.invalid(hot.property(), hot.value(), "must be at least 0");
      }
      if (remote == null) {
        throw Settings.invalid(hot.property(), hot.value(), "hot keys are recorded in Redis, and this application"
            + " has none: set quarkus.lamina.redis.address (or quarkus.lamina.redis.config)");
      }
      b.source(WarmupSource.recordedHotKeys(cache, remote, KeyCodecs.strings(), hot.value()));
      any = true;
    }
    Map<String, Object> keysById = new ConcurrentHashMap<>();
    CacheLoader<Object, Object> loader = null;
    for (LaminaWarmupSource source : sources) {
      if (source.cache().equals(cache.name())) {
        b.source(ids(source, keysById));
        any = true;
        if (loader == null) {
          loader = source.loader();
        }
      }
    }
    if (!any) {
      String prefix = s.prefix() + ".warming";
      throw Settings.invalid(s.value("warming.enabled", c -> c.warming().enabled()).property(), true,
          "there are no keys to warm for cache '" + cache.name() + "': set " + prefix + ".keys or " + prefix
              + ".recorded-hot-keys, or declare a LaminaWarmupSource bean whose cache() is '" + cache.name() + "'");
    }
    if (built.mode() == WarmupMode.L2_THEN_SOURCE && loader == null) {
      log.infof("Lamina: %s.warming: no LaminaWarmupSource bean of cache '%s' gives a loader, so only what Redis"
          + " holds is copied (as with warming.mode=l2-only)", s.prefix(), cache.name());
      built = WarmupConfig.from(built).mode(WarmupMode.L2_ONLY).build();
    }
    if (loader != null) {
      b.loader(byId(loader, keysById));
    }
    return b.config(built).build();
  }

  /** A running refresher of {@code cache}'s hot keys, whose refresh is enabled. */
  HotKeyRefresher refresher(TieredCache<String, Object> cache, Settings s) {
    String enabled = s.value("warming.refresh.enabled", c -> c.warming().refresh().enabled()).property();
    CacheLoader<Object, Object> loader = null;
    for (LaminaWarmupSource source : sources) {
      if (loader == null && source.cache().equals(cache.name())) {
        loader = source.loader();
      }
    }
    if (loader == null) {
      throw Settings.invalid(enabled, true, "refreshing reloads from the source: declare a LaminaWarmupSource"
          + " bean whose cache() is '" + cache.name() + "' and whose loader() is not null");
    }
    if (cache.config().protection().hotKeys() == 0) {
      throw Settings.invalid(enabled, true, "only hot keys are refreshed, and cache '" + cache.name() + "' tracks"
          + " none: set " + s.prefix() + ".protection.hot-keys (for example 100)");
    }
    Settings.Found<Duration> period = s.value("warming.refresh.period", c -> c.warming().refresh().period());
    Settings.Found<Duration> ahead = s.value("warming.refresh.ahead", c -> c.warming().refresh().ahead());
    Settings.Found<Integer> rate = s.value("warming.refresh.rate-limit",
        c -> boxed(c.warming().refresh().rateLimit()));
    Duration p = period.value() != null ? period.value() : Duration.ofSeconds(30);
    Duration a = ahead.value() != null ? ahead.value() : Duration.ofMinutes(2);
    int r = rate.value() != null ? rate.value() : 100;
    try {
      return HotKeyRefresher.start(cache, KeyCodecs.strings(), p, a, r, byId(loader, new ConcurrentHashMap<>()));
    } catch (InvalidSettingException e) {
      Map<String, String> properties = Map.of("warming.refresh.period", period.property(),
          "warming.refresh.ahead", ahead.property(), "warming.refresh.rateLimit", rate.property(),
          "l2.ttl", s.prefix() + ".l2.ttl");
      throw Settings.invalid(properties.getOrDefault(e.setting(), s.prefix() + ".warming.refresh"), e.value(),
          e.requirement(setting -> properties.getOrDefault(setting, setting)));
    }
  }

  private static WarmupConfig warmupConfig(Settings s) {
    WarmupConfig.Builder b = WarmupConfig.custom();
    s.set("warming.mode", c -> c.warming().mode(), b::mode);
    s.setInt("warming.batch-size", c -> c.warming().batchSize(), b::batchSize);
    s.setInt("warming.source-rate-limit", c -> c.warming().sourceRateLimit(), b::sourceRateLimit);
    s.setInt("warming.concurrency", c -> c.warming().concurrency(), b::concurrency);
    s.setInt("warming.max-keys", c -> c.warming().maxKeys(), b::maxKeys);
    s.set("warming.deadline", c -> c.warming().deadline(), b::deadline);
    s.set("warming.progress-interval", c -> c.warming().progressInterval(), b::progressInterval);
    Settings.Found<Integer> hot = s.value("warming.recorded-hot-keys", c -> boxed(c.warming().recordedHotKeys()));
    if (hot.value() != null && hot.value() < 0) {
      throw Settings.invalid(hot.property(), hot.value(), "must be at least 0");
    }
    return b.build();
  }

  /** {@code source}'s keys as ids; remembers each id's key for the loader. */
  private static WarmupSource<String> ids(LaminaWarmupSource source, Map<String, Object> keysById) {
    return new WarmupSource<>() {
      @Override
      public Iterable<String> keys() throws Exception {
        List<String> ids = new ArrayList<>();
        for (Object key : source.keys()) {
          String id = KeyIds.toId(key);
          keysById.putIfAbsent(id, key);
          ids.add(id);
        }
        return ids;
      }

      @Override
      public String name() {
        return source.name();
      }
    };
  }

  /** {@code loader} called with the key an id stands for. */
  private static CacheLoader<String, Object> byId(CacheLoader<Object, Object> loader, Map<String, Object> keysById) {
    return id -> {
      Object key = keysById.get(id);
      if (key == null) {
        key = KeyIds.fromId(id);
      }
      if (key == null) {
        throw new IllegalArgumentException("id " + id + " cannot be turned back into a key (only strings, numbers,"
            + " UUIDs and composites of those can): list this key from a LaminaWarmupSource instead");
      }
      return loader.load(key);
    };
  }

  private static Optional<Integer> boxed(OptionalInt v) {
    return v.isPresent() ? Optional.of(v.getAsInt()) : Optional.empty();
  }
}
