package io.lamina.quarkus.runtime;

import io.lamina.InvalidSettingException;
import io.lamina.quarkus.runtime.LaminaConfig.CacheSettings;
import io.quarkus.runtime.configuration.ConfigurationException;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * One cache's settings looked up the way the properties promise: {@code quarkus.lamina.caches."name".x}, else
 * {@code quarkus.lamina.defaults.x}; each value comes with the property it was read from, so a value Lamina
 * refuses (an {@link InvalidSettingException}) is reported under the name the user wrote, found through
 * {@link PropertyNames}.
 */
final class Settings {

  /** A value and the property it came from. */
  record Found<T>(@Nullable T value, String property) {}

  private final @Nullable String name;
  private final @Nullable CacheSettings own;
  private final CacheSettings defaults;
  /** The values set, by property relative to the prefix, each with the property it came from. */
  private final Map<String, Found<?>> applied = new HashMap<>();

  Settings(@Nullable String name, @Nullable CacheSettings own, CacheSettings defaults) {
    this.name = name;
    this.own = own;
    this.defaults = defaults;
  }

  /** {@code quarkus.lamina.caches."name"}, or {@code quarkus.lamina.defaults} for the defaults alone. */
  String prefix() {
    return name == null ? "quarkus.lamina.defaults" : "quarkus.lamina.caches." + quoted(name);
  }

  static String quoted(String name) {
    return name.matches("[A-Za-z0-9_-]+") ? name : "\"" + name + "\"";
  }

  <T> Found<T> value(String property, Function<CacheSettings, Optional<T>> get) {
    if (own != null) {
      Optional<T> v = get.apply(own);
      if (v.isPresent()) {
        return new Found<>(v.get(), prefix() + "." + property);
      }
    }
    return new Found<>(get.apply(defaults).orElse(null), "quarkus.lamina.defaults." + property);
  }

  <T> void set(String property, Function<CacheSettings, Optional<T>> get, Consumer<T> setter) {
    Found<T> found = value(property, get);
    T v = found.value();
    if (v != null) {
      applied.put(property, found);
      apply(found.property(), v, setter);
    }
  }

  /**
   * Lamina's refusal of a value, under the property that sets it for this cache. When no property set the value
   * refused (it is Lamina's default, or a {@code LaminaCacheCustomizer} set it), the reason says so; a setting
   * no property sets is reported under the prefix.
   */
  ConfigurationException error(InvalidSettingException e) {
    String reason = e.requirement(this::propertyOf);
    String suffix = PropertyNames.perCache(e.setting());
    if (suffix == null && PropertyNames.global(e.setting()) == null) {
      return invalid(prefix(), e.value(), e.setting() + " " + reason + " (set by a LaminaCacheCustomizer)");
    }
    Found<?> found = suffix == null ? null : applied.get(suffix);
    if (suffix != null && found == null) {
      reason += " (no property sets it: Lamina's default, or a LaminaCacheCustomizer's value)";
    } else if (found != null && !Objects.equals(found.value(), e.value())) {
      reason += " (a LaminaCacheCustomizer changed it from " + found.value() + ")";
    }
    return invalid(propertyOf(e.setting()), e.value(), reason);
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
    return found != null ? found.property() : prefix() + "." + suffix;
  }

  void setLong(String property, Function<CacheSettings, OptionalLong> get, Consumer<Long> setter) {
    set(property, s -> boxed(get.apply(s)), setter);
  }

  void setInt(String property, Function<CacheSettings, OptionalInt> get, Consumer<Integer> setter) {
    set(property, s -> boxed(get.apply(s)), setter);
  }

  void setDouble(String property, Function<CacheSettings, OptionalDouble> get, Consumer<Double> setter) {
    set(property, s -> boxed(get.apply(s)), setter);
  }

  /** Sets {@code value}; a refusal is reported under {@code property}, Lamina's in property names. */
  static <T> void apply(String property, T value, Consumer<T> setter) {
    try {
      setter.accept(value);
    } catch (InvalidSettingException e) {
      throw invalid(property, value, e.requirement(PropertyNames::globalOrSetting));
    } catch (IllegalArgumentException | NullPointerException e) { // a refusal that is no InvalidSettingException
      throw invalid(property, value, e.getMessage());
    }
  }

  static ConfigurationException invalid(String property, @Nullable Object value, @Nullable String why) {
    return new ConfigurationException(property + "=" + value + " is not valid: " + why, Set.of(property));
  }

  /** A {@link ConfigurationException} naming {@code property}, caused by {@code cause}. */
  static ConfigurationException error(String message, String property, Throwable cause) {
    ConfigurationException e = new ConfigurationException(message, Set.of(property));
    e.initCause(cause);
    return e;
  }

  private static Optional<Long> boxed(OptionalLong v) {
    return v.isPresent() ? Optional.of(v.getAsLong()) : Optional.empty();
  }

  private static Optional<Integer> boxed(OptionalInt v) {
    return v.isPresent() ? Optional.of(v.getAsInt()) : Optional.empty();
  }

  private static Optional<Double> boxed(OptionalDouble v) {
    return v.isPresent() ? Optional.of(v.getAsDouble()) : Optional.empty();
  }
}
