package io.lamina.spring.autoconfigure;

import io.lamina.InvalidSettingException;
import io.lamina.ProtectionConfig;
import io.lamina.TieredCacheConfig;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.PropertyMapper;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;

/**
 * Maps one cache's {@link CacheSpec} (its own settings over {@code lamina.defaults}) onto Lamina's configuration
 * builders. Every error carries the property it concerns, as the user wrote it: a value Lamina refuses (an
 * {@link InvalidSettingException}) is reported under the property it came from ({@code lamina.caches.<name>.…}
 * or {@code lamina.defaults.…}), found through {@link PropertyNames}, and the settings it was checked against
 * are named as properties too. The L1 ages are checked here first, to say which property to raise.
 */
final class CacheSpecMapper {

  private static final String DEFAULTS = "lamina.defaults";

  private final PropertyMapper map = PropertyMapper.get();
  private final LaminaProperties properties;
  private final @Nullable CacheSpec own;
  private final String prefix;
  /** The values applied, by property relative to the prefix, each with the property it came from. */
  private final Map<String, Found<?>> applied = new HashMap<>();

  /** For cache {@code name}, or for {@code lamina.defaults} alone when {@code name} is null. */
  CacheSpecMapper(LaminaProperties properties, @Nullable String name) {
    this.properties = properties;
    this.own = name == null ? null : properties.getCaches().get(name);
    this.prefix = name == null ? DEFAULTS : "lamina.caches." + name;
  }

  /** {@code lamina.caches.<name>}, or {@code lamina.defaults}. */
  String prefix() {
    return prefix;
  }

  /** A value and the property it came from; null value when neither the cache nor the defaults set it. */
  record Found<T>(@Nullable T value, String property) {}

  /** The cache's own value of {@code property}, else the default's. */
  <T> Found<T> find(String property, Function<CacheSpec, @Nullable T> get) {
    CacheSpec spec = own;
    T mine = spec == null ? null : get.apply(spec);
    return mine != null ? new Found<>(mine, prefix + "." + property)
        : new Found<>(get.apply(properties.getDefaults()), DEFAULTS + "." + property);
  }

  /** The configuration builder with every set value applied, the namespace and schema versions included. */
  TieredCacheConfig.Builder config(String namespace) {
    TieredCacheConfig.Builder b = TieredCacheConfig.custom();
    accept("lamina.namespace", namespace, b::namespace);
    accept("lamina.schema-version", properties.getSchemaVersion(), b::schemaVersion);
    accept("lamina.previous-schema-versions", properties.getPreviousSchemaVersions(), b::previousSchemaVersions);
    map("l1.maximum-size", s -> s.getL1().getMaximumSize(), b::l1MaximumSize);
    map("l1.expire-after-write", s -> s.getL1().getExpireAfterWrite(), b::l1ExpireAfterWrite);
    map("l1.ttl-jitter", s -> s.getL1().getTtlJitter(), b::l1TtlJitter);
    map("l1.max-age", s -> s.getL1().getMaxAge(), b::l1MaxAge);
    map("l2.ttl", s -> s.getL2().getTtl(), b::l2Ttl);
    map("l2.ttl-jitter", s -> s.getL2().getTtlJitter(), b::l2TtlJitter);
    map("negative-ttl", CacheSpec::getNegativeTtl, b::negativeTtl);
    map("tombstone-ttl", CacheSpec::getTombstoneTtl, b::tombstoneTtl);
    map("load-timeout", CacheSpec::getLoadTimeout, b::loadTimeout);
    map("remote-timeout", CacheSpec::getRemoteTimeout, b::remoteTimeout);
    map("write-timeout", CacheSpec::getWriteTimeout, b::writeTimeout);
    map("degraded-max-age", CacheSpec::getDegradedMaxAge, b::degradedMaxAge);
    map("write-strategy", CacheSpec::getWriteStrategy, b::writeStrategy);
    map("remote-failure-mode", CacheSpec::getRemoteFailureMode, b::remoteFailureMode);
    map("max-key-bytes", CacheSpec::getMaxKeyBytes, b::maxKeyBytes);
    map("max-value-bytes", CacheSpec::getMaxValueBytes, b::maxValueBytes);
    checkL1Ages();
    b.protection(protection());
    return b;
  }

  /** Builds {@code b}; a conflict Lamina finds is reported under the property of the value it refused. */
  TieredCacheConfig build(TieredCacheConfig.Builder b) {
    try {
      return b.build();
    } catch (InvalidSettingException e) {
      throw error(e);
    }
  }

  /**
   * Lamina's refusal of a value, under the property that sets it for this cache. When no property set the value
   * refused (it is Lamina's default, or a {@code LaminaCacheCustomizer} set it), the reason says so; a setting
   * no property sets is reported under the prefix.
   */
  InvalidConfigurationPropertyValueException error(InvalidSettingException e) {
    String reason = e.requirement(this::propertyOf);
    String suffix = PropertyNames.perCache(e.setting());
    if (suffix == null && PropertyNames.global(e.setting()) == null) {
      return new InvalidConfigurationPropertyValueException(prefix, e.value(), e.setting() + " " + reason
          + " (set by a LaminaCacheCustomizer)");
    }
    Found<?> found = suffix == null ? null : applied.get(suffix);
    if (suffix != null && found == null) {
      reason += " (no property sets it: Lamina's default, or a LaminaCacheCustomizer's value)";
    } else if (found != null && !Objects.equals(found.value(), e.value())) {
      reason += " (a LaminaCacheCustomizer changed it from " + found.value() + ")";
    }
    return new InvalidConfigurationPropertyValueException(propertyOf(e.setting()), e.value(), reason);
  }

  /** The property that sets Lamina's {@code setting} for this cache: the one that set it, else where it would be. */
  private String propertyOf(String setting) {
    String global = PropertyNames.global(setting);
    if (global != null) {
      return global;
    }
    String suffix = PropertyNames.perCache(setting);
    if (suffix == null) {
      return setting;
    }
    Found<?> found = applied.get(suffix);
    return found != null ? found.property() : prefix + "." + suffix;
  }

  private ProtectionConfig protection() {
    ProtectionConfig.Builder p = ProtectionConfig.custom();
    Boolean onCaller = find("protection.load-on-caller-thread", s -> s.getProtection().getLoadOnCallerThread())
        .value();
    p.loadOnCallerThread(onCaller == null || onCaller); // Spring methods expect their thread's context
    map("protection.distributed-single-flight", s -> s.getProtection().getDistributedSingleFlight(),
        p::distributedSingleFlight);
    map("protection.stale-while-revalidate", s -> s.getProtection().getStaleWhileRevalidate(),
        p::staleWhileRevalidate);
    map("protection.stale-if-error", s -> s.getProtection().getStaleIfError(), p::staleIfError);
    map("protection.early-refresh-beta", s -> s.getProtection().getEarlyRefreshBeta(), p::earlyRefreshBeta);
    map("protection.hot-keys", s -> s.getProtection().getHotKeys(), p::hotKeys);
    map("protection.miss-rate-limit", s -> s.getProtection().getMissRateLimit(), p::missRateLimit);
    map("protection.hot-key-window", s -> s.getProtection().getHotKeyWindow(), p::hotKeyWindow);
    map("protection.max-abandoned-loads", s -> s.getProtection().getMaxAbandonedLoads(), p::maxAbandonedLoads);
    try {
      return p.build();
    } catch (InvalidSettingException e) {
      throw error(e);
    }
  }

  /** l1.expire-after-write must not exceed l1.max-age, each as set or as Lamina's default. */
  private void checkL1Ages() {
    Found<Duration> ttl = find("l1.expire-after-write", s -> s.getL1().getExpireAfterWrite());
    Found<Duration> maxAge = find("l1.max-age", s -> s.getL1().getMaxAge());
    Duration ttlValue = ttl.value() != null ? ttl.value() : TieredCacheConfig.ofDefaults().l1ExpireAfterWrite();
    Duration maxValue = maxAge.value() != null ? maxAge.value() : TieredCacheConfig.ofDefaults().l1MaxAge();
    if (ttlValue.compareTo(maxValue) > 0) {
      String cap = maxAge.value() != null ? maxAge.property() + " (" + maxValue + ")"
          : "l1.max-age (Lamina's default, " + maxValue + "; set " + prefix + ".l1.max-age to raise it)";
      throw new InvalidConfigurationPropertyValueException(ttl.value() != null ? ttl.property()
          : prefix + ".l1.max-age", ttl.value() != null ? ttlValue : maxValue,
          "l1.expire-after-write (" + ttlValue + ") must not exceed " + cap + ", the hard cap on a local entry's age");
    }
  }

  /** Applies the cache's value, else the default's, naming the property it came from when Lamina refuses it. */
  private <T> void map(String property, Function<CacheSpec, @Nullable T> get, Consumer<T> setter) {
    Found<T> found = find(property, get);
    if (found.value() != null) {
      applied.put(property, found);
    }
    map.from(found::value).to(value -> accept(found.property(), value, setter));
  }

  private <T> void accept(String property, T value, Consumer<T> setter) {
    try {
      setter.accept(value);
    } catch (InvalidSettingException e) {
      throw new InvalidConfigurationPropertyValueException(property, value, e.requirement(this::propertyOf));
    }
  }
}
