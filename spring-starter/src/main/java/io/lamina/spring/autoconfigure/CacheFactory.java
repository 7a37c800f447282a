package io.lamina.spring.autoconfigure;

import io.lamina.BusConfig;
import io.lamina.InvalidSettingException;
import io.lamina.KeyCodecs;
import io.lamina.TieredCache;
import io.lamina.TieredCacheBuilder;
import io.lamina.TieredCacheConfig;
import io.lamina.ValueCodecs;
import io.lamina.WriteStrategy;
import io.lamina.codec.fory.ForyValueCodec;
import io.lamina.spi.InvalidationBus;
import io.lamina.spi.LocalTierProvider;
import io.lamina.spi.RemoteTier;
import io.lamina.spi.ValueCodec;
import io.lamina.spring.LaminaCacheCustomizer;
import io.lamina.spring.LaminaCacheSettings;
import io.lamina.spring.PutMode;
import io.lamina.spring.autoconfigure.CacheSpec.Codec;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;

/**
 * Builds one cache from the properties: per-cache values over {@code lamina.defaults} over Lamina's defaults,
 * then the customizers, then the builder. Every value Lamina refuses is reported under the property it came
 * from, so start-up fails with the name the user wrote.
 */
final class CacheFactory implements Function<String, TieredCache<String, Object>> {

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
    PutMode mode = new CacheSpecMapper(properties, name).find("put-mode", CacheSpec::getPutMode).value();
    return mode != null ? mode : PutMode.INVALIDATE;
  }

  /** Checks {@code lamina.defaults} alone, so a bad default fails at start-up even if no cache names it. */
  void checkDefaults() {
    CacheSpecMapper defaults = new CacheSpecMapper(properties, null);
    checkDegradedMaxAge(defaults.prefix(), defaults.build(defaults.config(namespace)));
  }

  @Override
  public TieredCache<String, Object> apply(String name) {
    String prefix = prefix(name);
    try {
      TieredCache.newBuilder(name); // checks the name before anything else is built
    } catch (InvalidSettingException e) {
      throw new InvalidConfigurationPropertyValueException(prefix, name,
          "a cache name " + e.requirement(setting -> setting));
    }
    CacheSpecMapper spec = new CacheSpecMapper(properties, name);
    TieredCacheConfig.Builder config = spec.config(namespace);
    LaminaCacheSettings settings = new LaminaCacheSettings(name, config, putMode(name));
    for (LaminaCacheCustomizer customizer : customizers) {
      customizer.customize(settings);
    }
    putModes.put(name, settings.putMode());
    TieredCacheConfig built = checkDegradedMaxAge(prefix, spec.build(config));
    TieredCacheBuilder<String, Object> builder = TieredCache.<String, Object>newBuilder(name)
        .config(built)
        .keyCodec(KeyCodecs.strings())
        .local(local);
    Boolean l2 = spec.find("l2.enabled", s -> s.getL2().getEnabled()).value();
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
    if (settings.ttlOf() != null) {
      builder.ttlOf(settings.ttlOf());
    }
    if (settings.listener() != null) {
      builder.listener(settings.listener());
    }
    if (settings.keyFilter() != null) {
      builder.keyFilter(settings.keyFilter());
    }
    checkWriter(spec, built.writeStrategy(), settings.writer() != null, remote != null && !Boolean.FALSE.equals(l2));
    try {
      return builder.build();
    } catch (IllegalStateException e) {
      throw new InvalidConfigurationPropertyValueException(prefix, "(several settings)", e.getMessage());
    }
  }

  /** The write strategy against the writer a customizer gave (or not), in the properties' words. */
  private static void checkWriter(CacheSpecMapper spec, WriteStrategy strategy, boolean hasWriter,
      boolean usesRedis) {
    CacheSpecMapper.Found<WriteStrategy> found = spec.find("write-strategy", CacheSpec::getWriteStrategy);
    String value = strategy.name().toLowerCase(Locale.ROOT).replace('_', '-');
    if (strategy.usesWriter() && !hasWriter) {
      throw new InvalidConfigurationPropertyValueException(found.property(), value, "this strategy calls a writer"
          + " and the cache has none: give one with a LaminaCacheCustomizer bean (settings.writer(...))");
    }
    if (!strategy.usesWriter() && hasWriter) {
      throw new InvalidConfigurationPropertyValueException(found.property(), value, "a LaminaCacheCustomizer gave"
          + " this cache a writer, which " + value + " never calls: choose write-through, write-around or"
          + " write-behind");
    }
    if (strategy == WriteStrategy.WRITE_THROUGH && !usesRedis) {
      throw new InvalidConfigurationPropertyValueException(found.property(), value, "write-through places its"
          + " intent in Redis and this cache does not use Redis: configure lamina.redis, or choose write-around");
    }
  }

  private TieredCacheConfig checkDegradedMaxAge(String prefix, TieredCacheConfig config) {
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
    CacheSpecMapper spec = new CacheSpecMapper(properties, name);
    Codec kind = spec.find("codec", CacheSpec::getCodec).value();
    String codec = (kind != null ? kind : Codec.FORY).name().toLowerCase(Locale.ROOT);
    List<Class<?>> types = spec.find("value-types", CacheSpec::getValueTypes).value();
    return kind == Codec.JSON && types != null && types.size() == 1 ? codec + " " + types.get(0).getSimpleName()
        : codec;
  }

  /** The codec the properties choose for cache {@code name}'s Redis values (customizers aside). */
  ValueCodec<Object> valueCodec(String name) {
    return codec(name);
  }

  private ValueCodec<Object> codec(String name) {
    CacheSpecMapper spec = new CacheSpecMapper(properties, name);
    CacheSpecMapper.Found<Codec> codec = spec.find("codec", CacheSpec::getCodec);
    CacheSpecMapper.Found<List<Class<?>>> types = spec.find("value-types", CacheSpec::getValueTypes);
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
}
