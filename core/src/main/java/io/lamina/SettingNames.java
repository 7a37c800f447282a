package io.lamina;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * For framework integrations: the settings that the Spring Boot starter and the Quarkus extension expose as
 * properties, named as {@link InvalidSettingException#setting()} names them, and each one's property under the
 * framework's prefix. A property is the setting with each dotted segment in kebab case
 * ({@code protection.hotKeyWindow} is {@code protection.hot-key-window}). Both integrations report a value Lamina
 * refuses under the property the user wrote through these tables, so a setting is added here once for both. A
 * setting missing here has no property (a customizer sets it in code, such as {@code protection.remoteBreaker}).
 */
public final class SettingNames {

  /** Settings of one cache, set under a framework's per-cache prefix. */
  public static final Set<String> PER_CACHE = Set.of(
      "l1.maximumSize", "l1.expireAfterWrite", "l1.ttlJitter", "l1.maxAge", "l2.ttl", "l2.ttlJitter",
      "negativeTtl", "tombstoneTtl", "loadTimeout", "remoteTimeout", "writeTimeout", "degradedMaxAge",
      "writeStrategy", "remoteFailureMode", "maxKeyBytes", "maxValueBytes", "protection.loadOnCallerThread",
      "protection.distributedSingleFlight", "protection.staleWhileRevalidate", "protection.staleIfError",
      "protection.earlyRefreshBeta", "protection.hotKeys", "protection.hotKeyWindow", "protection.missRateLimit",
      "protection.maxAbandonedLoads");

  /** Settings of the whole application, set under a framework's root prefix. */
  public static final Set<String> GLOBAL = Set.of(
      "namespace", "schemaVersion", "previousSchemaVersions", "bus.heartbeatInterval", "bus.detectionTime",
      "bus.batchSize", "bus.batchDelay", "bus.stalenessBound");

  private SettingNames() {}

  /** {@code setting} as a property, relative to its prefix: {@code l1.maximumSize} is {@code l1.maximum-size}. */
  public static String property(String setting) {
    StringBuilder out = new StringBuilder(setting.length() + 4);
    for (int i = 0; i < setting.length(); i++) {
      char c = setting.charAt(i);
      if (Character.isUpperCase(c)) {
        out.append('-').append(Character.toLowerCase(c));
      } else {
        out.append(c);
      }
    }
    return out.toString();
  }

  /** Each of {@code settings} with its property under {@code prefix} (empty, or ending in a dot). */
  public static Map<String, String> properties(Set<String> settings, String prefix) {
    Map<String, String> out = new LinkedHashMap<>();
    for (String setting : settings) {
      out.put(setting, prefix + property(setting));
    }
    return Map.copyOf(out);
  }
}
