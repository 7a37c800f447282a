package io.lamina.quarkus.runtime;

import io.lamina.InvalidSettingException;
import io.lamina.SettingNames;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Lamina's setting names, as {@link InvalidSettingException#setting()} gives them, and the
 * {@code quarkus.lamina.*} properties that set them: the one place the two vocabularies meet, so a value Lamina
 * refuses is reported under the property the user wrote, never by rewriting Lamina's message. A setting missing
 * here has no property (a {@code LaminaCacheCustomizer} sets it, such as {@code protection.remoteBreaker}).
 *
 * <p>Which settings have a property, and its name, are {@link SettingNames}'s, shared with the Spring Boot starter;
 * this class puts them under this framework's prefixes.
 */
final class PropertyNames {

  /** Settings of one cache: the property under {@code quarkus.lamina.caches."name"} or {@code ….defaults}. */
  static final Map<String, String> PER_CACHE = SettingNames.properties(SettingNames.PER_CACHE, "");

  /** Settings of the whole application: the full property. */
  static final Map<String, String> GLOBAL = SettingNames.properties(SettingNames.GLOBAL, "quarkus.lamina.");

  private PropertyNames() {}

  /** The property of one cache's {@code setting}, relative to its prefix ({@code l1.maximum-size}); null if none. */
  static @Nullable String perCache(String setting) {
    return PER_CACHE.get(setting);
  }

  /** The full property of an application-wide {@code setting}; null if none. */
  static @Nullable String global(String setting) {
    return GLOBAL.get(setting);
  }

  /** {@code setting}'s application-wide property, else the setting itself. */
  static String globalOrSetting(String setting) {
    String property = global(setting);
    return property != null ? property : setting;
  }
}
