package io.lamina.quarkus.runtime;

import io.lamina.quarkus.runtime.LaminaConfig.CacheSettings;
import io.quarkus.runtime.configuration.ConfigurationException;
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
 * refuses is reported under the name the user wrote.
 */
final class Settings {

  /** A value and the property it came from. */
  record Found<T>(@Nullable T value, String property) {}

  private final @Nullable String name;
  private final @Nullable CacheSettings own;
  private final CacheSettings defaults;

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
      apply(found.property(), v, setter);
    }
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

  static <T> void apply(String property, T value, Consumer<T> setter) {
    try {
      setter.accept(value);
    } catch (IllegalArgumentException | NullPointerException e) {
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
