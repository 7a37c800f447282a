package io.lamina.quarkus.runtime;

import io.lamina.BusConfig;
import io.lamina.CacheWriter;
import io.lamina.InvalidSettingException;
import io.lamina.KeyCodecs;
import io.lamina.ProtectionConfig;
import io.lamina.TieredCache;
import io.lamina.TieredCacheBuilder;
import io.lamina.TieredCacheConfig;
import io.lamina.TieredCacheListener;
import io.lamina.ValueCodecs;
import io.lamina.WriteStrategy;
import io.lamina.codec.fory.ForyValueCodec;
import io.lamina.quarkus.LaminaCacheCustomizer;
import io.lamina.quarkus.LaminaCacheSettings;
import io.lamina.quarkus.runtime.LaminaConfig.CacheSettings;
import io.lamina.quarkus.runtime.LaminaConfig.Codec;
import io.lamina.quarkus.runtime.Settings.Found;
import io.lamina.spi.InvalidationBus;
import io.lamina.spi.KeyFilter;
import io.lamina.spi.LocalTierProvider;
import io.lamina.spi.RemoteTier;
import io.lamina.spi.ValueCodec;
import io.quarkus.runtime.configuration.ConfigurationException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.function.ToLongFunction;
import org.jspecify.annotations.Nullable;

/**
 * Builds one cache from {@code quarkus.lamina.*}: per-cache values over {@code quarkus.lamina.defaults} over
 * Lamina's defaults. Every value Lamina refuses is reported under the property it came from.
 *
 * <p>Past 300 lines because it maps every per-cache setting onto the builder and the codec, each with the
 * property a refusal names; split, the mapping and its error reporting would have to be read together anyway.
 */
final class LaminaCacheFactory {

  private final LaminaConfig config;
  private final String namespace;
  private final LocalTierProvider local;
  private final @Nullable RemoteTier remote;
  private final Set<String> usingRemote = ConcurrentHashMap.newKeySet();
  private final @Nullable InvalidationBus bus;
  private final BusConfig busConfig;
  private final Map<String, List<String>> annotatedValueTypes;
  private final Function<Class<?>, ValueCodec<Object>> jsonCodecs;
  private final List<LaminaCacheCustomizer> customizers;
  private final CacheListeners listeners;

  LaminaCacheFactory(LaminaConfig config, String namespace, LocalTierProvider local, @Nullable RemoteTier remote,
      @Nullable InvalidationBus bus, BusConfig busConfig, Map<String, List<String>> annotatedValueTypes,
      Function<Class<?>, ValueCodec<Object>> jsonCodecs) {
    this(config, namespace, local, remote, bus, busConfig, annotatedValueTypes, jsonCodecs, List.of(),
        CacheListeners.NONE);
  }

  /**
   * @param customizers the application's customizers, in the order they run
   * @param listeners the extension's listeners (metrics), put around the customizers' listener
   */
  LaminaCacheFactory(LaminaConfig config, String namespace, LocalTierProvider local, @Nullable RemoteTier remote,
      @Nullable InvalidationBus bus, BusConfig busConfig, Map<String, List<String>> annotatedValueTypes,
      Function<Class<?>, ValueCodec<Object>> jsonCodecs, List<LaminaCacheCustomizer> customizers,
      CacheListeners listeners) {
    this.customizers = List.copyOf(customizers);
    this.listeners = listeners;
    this.config = config;
    this.namespace = namespace;
    this.local = local;
    this.remote = remote;
    this.bus = bus;
    this.busConfig = busConfig;
    this.annotatedValueTypes = annotatedValueTypes;
    this.jsonCodecs = jsonCodecs;
  }

  /** The bus settings of {@code quarkus.lamina.bus.*}, checked. */
  static BusConfig busConfig(LaminaConfig.Bus bus) {
    BusConfig d = BusConfig.ofDefaults();
    try {
      Duration heartbeat = bus.heartbeatInterval().orElse(d.heartbeatInterval());
      return new BusConfig(heartbeat, bus.detectionTime().orElse(d.detectionTime()),
          bus.batchSize().orElse(d.batchSize()), bus.batchDelay().orElse(d.batchDelay()),
          bus.stalenessBound().orElse(heartbeat.multipliedBy(5)));
    } catch (InvalidSettingException e) {
      String property = PropertyNames.global(e.setting());
      throw Settings.invalid(property != null ? property : "quarkus.lamina.bus", e.value(),
          e.requirement(PropertyNames::globalOrSetting));
    }
  }

  /** Checks {@code quarkus.lamina.defaults} alone, so a bad default fails at start-up even if no cache uses it. */
  void checkDefaults() {
    Settings settings = new Settings(null, null, config.defaults());
    build(settings, config(settings));
  }

  TieredCache<String, Object> create(String name) {
    Settings settings = new Settings(name, config.caches().get(name), config.defaults());
    try {
      TieredCache.newBuilder(name); // checks the name before anything else is built
    } catch (IllegalArgumentException e) {
      throw new ConfigurationException("cache name '" + name + "' cannot be a Lamina cache: " + e.getMessage()
          + " (rename it in @CacheResult/@CacheName, or give it another quarkus.cache.\"" + name + "\".type)");
    }
    TieredCacheConfig.Builder configBuilder = config(settings);
    LaminaCacheSettings custom = new LaminaCacheSettings(name, configBuilder);
    for (LaminaCacheCustomizer customizer : customizers) {
      customizer.customize(custom);
    }
    TieredCacheConfig cacheConfig = build(settings, configBuilder);
    TieredCacheBuilder<String, Object> builder = TieredCache.<String, Object>newBuilder(name)
        .config(cacheConfig)
        .keyCodec(KeyCodecs.strings())
        .local(local);
    Boolean l2 = settings.value("l2.enabled", s -> s.l2().enabled()).value();
    if (remote != null && !Boolean.FALSE.equals(l2)) {
      usingRemote.add(name);
      ValueCodec<Object> own = custom.valueCodec();
      builder.remote(remote).valueCodec(own != null ? own : codec(name, settings));
    }
    if (bus != null) {
      builder.bus(bus).busConfig(busConfig);
    }
    CacheWriter<String, Object> writer = custom.writer();
    if (writer != null) {
      builder.writer(writer);
    }
    ToLongFunction<Object> versionOf = custom.versionOf();
    if (versionOf != null) {
      builder.versionOf(versionOf);
    }
    Function<Object, @Nullable Duration> ttlOf = custom.ttlOf();
    if (ttlOf != null) {
      builder.ttlOf(ttlOf);
    }
    TieredCacheListener own = custom.listener();
    TieredCacheListener listener = listeners.around(name, own != null ? own : TieredCacheListener.NO_OP);
    if (listener != TieredCacheListener.NO_OP) {
      builder.listener(listener);
    }
    KeyFilter keyFilter = custom.keyFilter();
    if (keyFilter != null) {
      builder.keyFilter(keyFilter);
    }
    checkWriter(settings, cacheConfig.writeStrategy(), writer != null, usingRemote.contains(name));
    try {
      return builder.build();
    } catch (IllegalStateException | IllegalArgumentException e) {
      throw Settings.error(settings.prefix() + ": " + e.getMessage(), settings.prefix(), e);
    }
  }

  /** The write strategy against the writer a customizer gave (or not), in the properties' words. */
  private static void checkWriter(Settings s, WriteStrategy strategy, boolean hasWriter, boolean usesRedis) {
    String property = s.value("write-strategy", CacheSettings::writeStrategy).property();
    String value = strategy.name().toLowerCase(Locale.ROOT).replace('_', '-');
    if (strategy.usesWriter() && !hasWriter) {
      throw Settings.invalid(property, value, "this strategy calls a writer and the cache has none, which"
          + " properties cannot give: give one with a LaminaCacheCustomizer bean (settings.writer(...))");
    }
    if (!strategy.usesWriter() && hasWriter) {
      throw Settings.invalid(property, value, "a LaminaCacheCustomizer gave this cache a writer, which " + value
          + " never calls: choose write-through, write-around or write-behind");
    }
    if (strategy == WriteStrategy.WRITE_THROUGH && !usesRedis) {
      throw Settings.invalid(property, value, "write-through places its intent in Redis and this cache does not"
          + " use Redis: configure quarkus.lamina.redis, or choose write-around");
    }
  }

  private TieredCacheConfig.Builder config(Settings s) {
    TieredCacheConfig.Builder b = TieredCacheConfig.custom();
    Settings.apply("quarkus.lamina.namespace", namespace, b::namespace);
    Settings.apply("quarkus.lamina.schema-version", config.schemaVersion(), b::schemaVersion);
    Settings.apply("quarkus.lamina.previous-schema-versions", config.previousSchemaVersions().orElse(List.of()),
        b::previousSchemaVersions);
    s.setLong("l1.maximum-size", c -> c.l1().maximumSize(), b::l1MaximumSize);
    s.set("l1.expire-after-write", c -> c.l1().expireAfterWrite(), b::l1ExpireAfterWrite);
    s.setDouble("l1.ttl-jitter", c -> c.l1().ttlJitter(), b::l1TtlJitter);
    s.set("l1.max-age", c -> c.l1().maxAge(), b::l1MaxAge);
    s.set("l2.ttl", c -> c.l2().ttl(), b::l2Ttl);
    s.setDouble("l2.ttl-jitter", c -> c.l2().ttlJitter(), b::l2TtlJitter);
    s.set("negative-ttl", CacheSettings::negativeTtl, b::negativeTtl);
    s.set("tombstone-ttl", CacheSettings::tombstoneTtl, b::tombstoneTtl);
    s.set("load-timeout", CacheSettings::loadTimeout, b::loadTimeout);
    s.set("remote-timeout", CacheSettings::remoteTimeout, b::remoteTimeout);
    s.set("write-timeout", CacheSettings::writeTimeout, b::writeTimeout);
    s.set("degraded-max-age", CacheSettings::degradedMaxAge, b::degradedMaxAge);
    s.set("write-strategy", CacheSettings::writeStrategy, b::writeStrategy);
    s.set("remote-failure-mode", CacheSettings::remoteFailureMode, b::remoteFailureMode);
    s.setInt("max-key-bytes", CacheSettings::maxKeyBytes, b::maxKeyBytes);
    s.setInt("max-value-bytes", CacheSettings::maxValueBytes, b::maxValueBytes);
    ProtectionConfig.Builder p = ProtectionConfig.custom();
    Boolean onCaller = s.value("protection.load-on-caller-thread", c -> c.protection().loadOnCallerThread()).value();
    p.loadOnCallerThread(onCaller == null || onCaller); // the method keeps its request context by default
    s.set("protection.distributed-single-flight", c -> c.protection().distributedSingleFlight(),
        p::distributedSingleFlight);
    s.set("protection.stale-while-revalidate", c -> c.protection().staleWhileRevalidate(), p::staleWhileRevalidate);
    s.set("protection.stale-if-error", c -> c.protection().staleIfError(), p::staleIfError);
    s.setDouble("protection.early-refresh-beta", c -> c.protection().earlyRefreshBeta(), p::earlyRefreshBeta);
    s.setInt("protection.hot-keys", c -> c.protection().hotKeys(), p::hotKeys);
    s.setInt("protection.miss-rate-limit", c -> c.protection().missRateLimit(), p::missRateLimit);
    s.set("protection.hot-key-window", c -> c.protection().hotKeyWindow(), p::hotKeyWindow);
    s.setInt("protection.max-abandoned-loads", c -> c.protection().maxAbandonedLoads(), p::maxAbandonedLoads);
    try {
      b.protection(p.build());
    } catch (InvalidSettingException e) {
      throw s.error(e);
    }
    return b;
  }

  private TieredCacheConfig build(Settings s, TieredCacheConfig.Builder b) {
    TieredCacheConfig built;
    try {
      built = b.build();
    } catch (InvalidSettingException e) {
      throw s.error(e);
    }
    if (bus != null && built.degradedMaxAge().compareTo(busConfig.detectionTime()) > 0) {
      throw Settings.invalid(s.prefix() + ".degraded-max-age", built.degradedMaxAge(),
          "must not exceed quarkus.lamina.bus.detection-time (" + busConfig.detectionTime() + ")");
    }
    return built;
  }

  /** The namespace every cache is built under. */
  String namespace() {
    return namespace;
  }

  /** Whether cache {@code name}, built already, uses Redis. */
  boolean usesRemote(String name) {
    return usingRemote.contains(name);
  }

  /** The codec cache {@code name} encodes its Redis values with. */
  ValueCodec<Object> codecFor(String name) {
    return codec(name, new Settings(name, config.caches().get(name), config.defaults()));
  }

  private ValueCodec<Object> codec(String name, Settings s) {
    Found<Codec> codec = s.value("codec", CacheSettings::codec);
    Found<List<String>> configured = s.value("value-types", CacheSettings::valueTypes);
    List<String> names = configured.value() != null ? configured.value()
        : annotatedValueTypes.getOrDefault(name, List.of());
    List<Class<?>> classes = new ArrayList<>();
    for (String type : names) {
      classes.add(load(configured.property(), type));
    }
    Codec kind = codec.value() != null ? codec.value() : Codec.FORY;
    switch (kind) {
      case STRING:
        return ValueCodecs.checked(String.class, ValueCodecs.utf8(), s.prefix());
      case JSON:
        if (classes.size() != 1) {
          throw Settings.invalid(configured.property(), names,
              "codec json reads every value as one class: name exactly one (cache '" + name + "')");
        }
        return jsonCodecs.apply(classes.get(0));
      case FORY:
      default:
        if (configured.value() != null) {
          checkReturnedTypesListed(name, configured, classes);
        }
        ForyValueCodec.Builder<Object> fory = ForyValueCodec.builder(Object.class);
        for (Class<?> c : classes) {
          fory.register(c);
        }
        // Named in the error a value of an unregistered class gets, instead of Fory's own message. Setting
        // value-types replaces the classes found in the @CacheResult return types, so the hint says so.
        return fory.registrationSetting(configured.value() != null ? configured.property()
            : s.prefix() + ".value-types (it replaces the classes found in the @CacheResult return types " + names
                + ": list them all)").build();
    }
  }

  /**
   * A value-types that is set replaces the classes found in the @CacheResult return types: each of those must
   * still be covered, or every value of it would fail to encode, call after call.
   */
  private void checkReturnedTypesListed(String name, Found<List<String>> configured, List<Class<?>> listed) {
    List<String> unlisted = new ArrayList<>();
    for (String returned : annotatedValueTypes.getOrDefault(name, List.of())) {
      Class<?> type = load(configured.property(), returned);
      if (listed.stream().noneMatch(type::isAssignableFrom)) {
        unlisted.add(returned);
      }
    }
    if (!unlisted.isEmpty()) {
      throw Settings.invalid(configured.property(), configured.value(), "the fory codec stores only JDK types and"
          + " the classes listed here, but @CacheResult methods of cache '" + name + "' return " + unlisted
          + ": add them");
    }
  }

  private static Class<?> load(String property, String type) {
    String trimmed = type.trim();
    try {
      return Class.forName(trimmed, false, Thread.currentThread().getContextClassLoader());
    } catch (ClassNotFoundException | LinkageError e) {
      throw Settings.invalid(property, type, "no class " + trimmed + " on the classpath: give fully qualified"
          + " names, with $ for nested classes");
    }
  }
}
