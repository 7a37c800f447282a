package io.lamina.spring.autoconfigure;

import io.lamina.BusConfig;
import io.lamina.KeyCodecs;
import io.lamina.ProtectionConfig;
import io.lamina.TieredCache;
import io.lamina.TieredCacheBuilder;
import io.lamina.TieredCacheConfig;
import io.lamina.ValueCodecs;
import io.lamina.codec.fory.ForyValueCodec;
import io.lamina.spi.InvalidationBus;
import io.lamina.spi.LocalTierProvider;
import io.lamina.spi.RemoteTier;
import io.lamina.spi.ValueCodec;
import io.lamina.spring.LaminaCacheCustomizer;
import io.lamina.spring.LaminaCacheSettings;
import io.lamina.spring.PutMode;
import io.lamina.spring.autoconfigure.LaminaProperties.CacheSpec;
import io.lamina.spring.autoconfigure.LaminaProperties.Codec;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;

/**
 * Builds one cache from the properties: per-cache values over {@code lamina.defaults} over Lamina's defaults,
 * then the customizers, then the builder. Every value Lamina refuses is reported under the property it came
 * from, so start-up fails with the name the user wrote.
 */
final class CacheFactory implements Function<String, TieredCache<String, Object>> {

  /** Lamina's setting names, as they appear in its messages, and the properties that set them. */
  private static final Map<String, String> PROPERTY_NAMES = Map.ofEntries(
      Map.entry("l1ExpireAfterWrite", "l1.expire-after-write"),
      Map.entry("l1MaxAge", "l1.max-age"),
      Map.entry("degradedMaxAge", "degraded-max-age"),
      Map.entry("bus.detectionTime", "lamina.bus.detection-time"),
      Map.entry("bus.heartbeatInterval", "lamina.bus.heartbeat-interval"),
      Map.entry("bus.batchSize", "lamina.bus.batch-size"),
      Map.entry("bus.batchDelay", "lamina.bus.batch-delay"),
      Map.entry("bus.stalenessBound", "lamina.bus.staleness-bound"),
      Map.entry("writeStrategy", "write-strategy"),
      Map.entry("previousSchemaVersions", "lamina.previous-schema-versions"),
      Map.entry("schemaVersion", "lamina.schema-version"));

  private final LaminaProperties properties;
  private final String namespace;
  private final LocalTierProvider local;
  private final @Nullable RemoteTier remote;
  private final @Nullable InvalidationBus bus;
  private final BusConfig busConfig;
  private final List<LaminaCacheCustomizer> customizers;
  private final Function<Class<?>, ValueCodec<Object>> jsonCodecs;
  private final Map<String, PutMode> putModes = new ConcurrentHashMap<>();
  private final Map<String, List<Class<?>>> foryTypes = new ConcurrentHashMap<>();
  private final Map<String, String> codecNames = new ConcurrentHashMap<>();

  CacheFactory(LaminaProperties properties, String namespace, LocalTierProvider local, @Nullable RemoteTier remote,
      @Nullable InvalidationBus bus, BusConfig busConfig, List<LaminaCacheCustomizer> customizers,
      Function<Class<?>, ValueCodec<Object>> jsonCodecs) {
    this.properties = properties;
    this.namespace = namespace;
    this.local = local;
    this.remote = remote;
    this.bus = bus;
    this.busConfig = busConfig;
    this.customizers = customizers;
    this.jsonCodecs = jsonCodecs;
  }

  /** The namespace every cache is built under. */
  String namespace() {
    return namespace;
  }

  /** Whether caches may use Redis (each may still turn it off). */
  boolean hasRemote() {
    return remote != null;
  }

  /** The kind of bus that keeps the caches coherent ({@code nats}, {@code redis}, …), null without one. */
  @Nullable String busName() {
    return bus == null ? null : bus.name();
  }

  /** What {@code @CachePut} does for cache {@code name}: as the customizers left it, else by the properties. */
  PutMode putMode(String name) {
    PutMode chosen = putModes.get(name);
    if (chosen != null) {
      return chosen;
    }
    PutMode mode = value(name, "put-mode", CacheSpec::getPutMode).value();
    return mode != null ? mode : PutMode.INVALIDATE;
  }

  /** Checks {@code lamina.defaults} alone, so a bad default fails at start-up even if no cache names it. */
  void checkDefaults() {
    config(null);
  }

  @Override
  public TieredCache<String, Object> apply(String name) {
    String prefix = prefix(name);
    try {
      TieredCache.newBuilder(name); // checks the name before anything else is built
    } catch (IllegalArgumentException e) {
      throw new InvalidConfigurationPropertyValueException(prefix, name, e.getMessage());
    }
    TieredCacheConfig.Builder config = config(name);
    LaminaCacheSettings settings = new LaminaCacheSettings(name, config, putMode(name));
    for (LaminaCacheCustomizer customizer : customizers) {
      customizer.customize(settings);
    }
    putModes.put(name, settings.putMode());
    TieredCacheBuilder<String, Object> builder = TieredCache.<String, Object>newBuilder(name)
        .config(build(prefix, config))
        .keyCodec(KeyCodecs.strings())
        .local(local);
    Boolean l2 = value(name, "l2.enabled", s -> s.getL2().getEnabled()).value();
    if (remote != null && !Boolean.FALSE.equals(l2)) {
      ValueCodec<Object> codec = settings.valueCodec();
      if (codec == null) {
        codec = codec(name);
        if (codec instanceof ForyValueCodec<?> fory) {
          foryTypes.put(name, fory.registeredClasses().stream().filter(c -> c != Object.class).toList());
        }
      }
      builder.remote(remote).valueCodec(codec);
      codecNames.put(name, settings.valueCodec() != null ? codec.getClass().getSimpleName() + " (customizer)"
          : codecName(name));
    }
    if (bus != null) {
      builder.bus(bus).busConfig(busConfig);
    }
    if (settings.writer() != null) {
      builder.writer(settings.writer());
    }
    if (settings.versionOf() != null) {
      builder.versionOf(settings.versionOf());
    }
    if (settings.listener() != null) {
      builder.listener(settings.listener());
    }
    if (settings.keyFilter() != null) {
      builder.keyFilter(settings.keyFilter());
    }
    try {
      return builder.build();
    } catch (IllegalStateException e) {
      throw new IllegalStateException(prefix + ": " + translate(e.getMessage())
          + (e.getMessage() != null && e.getMessage().contains("writer")
              ? " (give one with a LaminaCacheCustomizer bean)" : ""), e);
    }
  }

  private TieredCacheConfig.Builder config(@Nullable String name) {
    TieredCacheConfig.Builder b = TieredCacheConfig.custom();
    apply("lamina.namespace", namespace, b::namespace);
    apply("lamina.schema-version", properties.getSchemaVersion(), b::schemaVersion);
    apply("lamina.previous-schema-versions", properties.getPreviousSchemaVersions(), b::previousSchemaVersions);
    set(name, "l1.maximum-size", s -> s.getL1().getMaximumSize(), b::l1MaximumSize);
    set(name, "l1.expire-after-write", s -> s.getL1().getExpireAfterWrite(), b::l1ExpireAfterWrite);
    set(name, "l1.ttl-jitter", s -> s.getL1().getTtlJitter(), b::l1TtlJitter);
    set(name, "l1.max-age", s -> s.getL1().getMaxAge(), b::l1MaxAge);
    set(name, "l2.ttl", s -> s.getL2().getTtl(), b::l2Ttl);
    set(name, "l2.ttl-jitter", s -> s.getL2().getTtlJitter(), b::l2TtlJitter);
    set(name, "negative-ttl", CacheSpec::getNegativeTtl, b::negativeTtl);
    set(name, "tombstone-ttl", CacheSpec::getTombstoneTtl, b::tombstoneTtl);
    set(name, "load-timeout", CacheSpec::getLoadTimeout, b::loadTimeout);
    set(name, "remote-timeout", CacheSpec::getRemoteTimeout, b::remoteTimeout);
    set(name, "write-timeout", CacheSpec::getWriteTimeout, b::writeTimeout);
    set(name, "degraded-max-age", CacheSpec::getDegradedMaxAge, b::degradedMaxAge);
    set(name, "write-strategy", CacheSpec::getWriteStrategy, b::writeStrategy);
    set(name, "remote-failure-mode", CacheSpec::getRemoteFailureMode, b::remoteFailureMode);
    set(name, "max-key-bytes", CacheSpec::getMaxKeyBytes, b::maxKeyBytes);
    set(name, "max-value-bytes", CacheSpec::getMaxValueBytes, b::maxValueBytes);
    ProtectionConfig.Builder protection = ProtectionConfig.custom();
    Boolean onCaller = value(name, "protection.load-on-caller-thread",
        s -> s.getProtection().getLoadOnCallerThread()).value();
    protection.loadOnCallerThread(onCaller == null || onCaller); // Spring methods expect their thread's context
    set(name, "protection.distributed-single-flight", s -> s.getProtection().getDistributedSingleFlight(),
        protection::distributedSingleFlight);
    set(name, "protection.stale-while-revalidate", s -> s.getProtection().getStaleWhileRevalidate(),
        protection::staleWhileRevalidate);
    set(name, "protection.stale-if-error", s -> s.getProtection().getStaleIfError(), protection::staleIfError);
    set(name, "protection.early-refresh-beta", s -> s.getProtection().getEarlyRefreshBeta(),
        protection::earlyRefreshBeta);
    set(name, "protection.hot-keys", s -> s.getProtection().getHotKeys(), protection::hotKeys);
    set(name, "protection.miss-rate-limit", s -> s.getProtection().getMissRateLimit(), protection::missRateLimit);
    set(name, "protection.hot-key-window", s -> s.getProtection().getHotKeyWindow(), protection::hotKeyWindow);
    set(name, "protection.max-abandoned-loads", s -> s.getProtection().getMaxAbandonedLoads(),
        protection::maxAbandonedLoads);
    try {
      b.protection(protection.build());
    } catch (IllegalArgumentException e) {
      throw new IllegalStateException(prefix(name) + ".protection: " + translate(e.getMessage()), e);
    }
    if (name == null) {
      build("lamina.defaults", b);
    }
    return b;
  }

  private TieredCacheConfig build(String prefix, TieredCacheConfig.Builder b) {
    TieredCacheConfig config;
    try {
      config = b.build();
    } catch (IllegalArgumentException e) {
      throw new IllegalStateException(prefix + ": " + translate(e.getMessage()), e);
    }
    if (bus != null && config.degradedMaxAge().compareTo(busConfig.detectionTime()) > 0) {
      throw new InvalidConfigurationPropertyValueException(prefix + ".degraded-max-age", config.degradedMaxAge(),
          "must not exceed lamina.bus.detection-time (" + busConfig.detectionTime() + ")");
    }
    return config;
  }

  /**
   * The classes registered with the Fory codec of cache {@code name}, built already; null when it has no such
   * codec (no Redis, another codec, or one a customizer gave).
   */
  @Nullable List<Class<?>> foryValueTypes(String name) {
    return foryTypes.get(name);
  }

  /**
   * How cache {@code name}, built already, encodes its Redis values ({@code fory}, {@code json Product},
   * {@code string}, or the class of a customizer's codec); null when it does not use Redis.
   */
  @Nullable String codecDescription(String name) {
    return codecNames.get(name);
  }

  private String codecName(String name) {
    Codec kind = value(name, "codec", CacheSpec::getCodec).value();
    String codec = (kind != null ? kind : Codec.FORY).name().toLowerCase(Locale.ROOT);
    List<Class<?>> types = value(name, "value-types", CacheSpec::getValueTypes).value();
    return kind == Codec.JSON && types != null && types.size() == 1 ? codec + " " + types.get(0).getSimpleName()
        : codec;
  }

  /** The codec the properties choose for cache {@code name}'s Redis values (customizers aside). */
  ValueCodec<Object> valueCodec(String name) {
    return codec(name);
  }

  private ValueCodec<Object> codec(String name) {
    Found<Codec> codec = value(name, "codec", CacheSpec::getCodec);
    Found<List<Class<?>>> types = value(name, "value-types", CacheSpec::getValueTypes);
    List<Class<?>> classes = types.value() != null ? types.value() : List.of();
    Codec kind = codec.value() != null ? codec.value() : Codec.FORY;
    switch (kind) {
      case STRING:
        return ValueCodecs.checked(String.class, ValueCodecs.utf8(), "lamina.caches." + name);
      case JSON:
        if (classes.size() != 1) {
          throw new InvalidConfigurationPropertyValueException(types.property(), classes,
              "codec json reads every value as one class: name exactly one (cache '" + name + "')");
        }
        return jsonCodecs.apply(classes.get(0));
      case FORY:
      default:
        ForyValueCodec.Builder<Object> fory = ForyValueCodec.builder(Object.class);
        for (Class<?> c : classes) {
          fory.register(c);
        }
        return fory.registrationSetting("lamina.caches." + name + ".value-types").build();
    }
  }

  private String prefix(@Nullable String name) {
    return name == null ? "lamina.defaults" : "lamina.caches." + name;
  }

  /** A value and the property it came from. */
  private record Found<T>(@Nullable T value, String property) {}

  private <T> Found<T> value(@Nullable String name, String property, Function<CacheSpec, @Nullable T> get) {
    CacheSpec own = name == null ? null : properties.getCaches().get(name);
    if (own != null) {
      T v = get.apply(own);
      if (v != null) {
        return new Found<>(v, "lamina.caches." + name + "." + property);
      }
    }
    return new Found<>(get.apply(properties.getDefaults()), "lamina.defaults." + property);
  }

  private <T> void set(@Nullable String name, String property, Function<CacheSpec, @Nullable T> get,
      Consumer<T> setter) {
    Found<T> found = value(name, property, get);
    T v = found.value();
    if (v != null) {
      apply(found.property(), v, setter);
    }
  }

  private static <T> void apply(String property, T value, Consumer<T> setter) {
    try {
      setter.accept(value);
    } catch (IllegalArgumentException | NullPointerException e) {
      throw new InvalidConfigurationPropertyValueException(property, value, e.getMessage());
    }
  }

  /** Replaces Lamina's setting names in {@code message} by the properties that set them. */
  static String translate(@Nullable String message) {
    if (message == null) {
      return "";
    }
    String out = message;
    for (Map.Entry<String, String> e : PROPERTY_NAMES.entrySet()) {
      out = out.replace(e.getKey(), e.getValue());
    }
    return out;
  }
}
