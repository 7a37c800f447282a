package io.lamina.spring.autoconfigure;

import io.lamina.InvalidSettingException;
import io.lamina.SettingNames;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;

/**
 * Lamina's setting names, as {@link InvalidSettingException#setting()} gives them, and the {@code lamina.*}
 * properties that set them: the one place the two vocabularies meet, so a value Lamina refuses is reported under
 * the property the user wrote, never by rewriting Lamina's message. A setting missing here has no property (a
 * {@code LaminaCacheCustomizer} sets it, such as {@code protection.remoteBreaker}).
 *
 * <p>Which settings have a property, and its name, are {@link SettingNames}'s, shared with the Quarkus extension;
 * this class puts them under this framework's prefixes.
 */
final class PropertyNames {

  /** Settings of one cache: the property under {@code lamina.caches.<name>} or {@code lamina.defaults}. */
  static final Map<String, String> PER_CACHE = SettingNames.properties(SettingNames.PER_CACHE, "");

  /** Settings of the whole application: the full property. */
  static final Map<String, String> GLOBAL = SettingNames.properties(SettingNames.GLOBAL, "lamina.");

  private PropertyNames() {}

  /** The property of one cache's {@code setting}, relative to its prefix ({@code l1.maximum-size}); null if none. */
  static @Nullable String perCache(String setting) {
    return PER_CACHE.get(setting);
  }

  /** The full property of an application-wide {@code setting} ({@code lamina.bus.detection-time}); null if none. */
  static @Nullable String global(String setting) {
    return GLOBAL.get(setting);
  }

  /**
   * Lamina's refusal of an application-wide value, under its property: the reason names any setting it was
   * checked against as a property too. A setting without a property is reported under {@code fallback}.
   */
  static InvalidConfigurationPropertyValueException globalError(InvalidSettingException e, String fallback) {
    String property = global(e.setting());
    String reason = e.requirement(PropertyNames::globalOrSetting);
    return property != null ? new InvalidConfigurationPropertyValueException(property, e.value(), reason)
        : new InvalidConfigurationPropertyValueException(fallback, e.value(), e.setting() + " " + reason);
  }

  private static String globalOrSetting(String setting) {
    String property = global(setting);
    return property != null ? property : setting;
  }
}
