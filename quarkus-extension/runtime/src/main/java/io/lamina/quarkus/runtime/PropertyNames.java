package io.lamina.quarkus.runtime;

import static java.util.Map.entry;

import io.lamina.InvalidSettingException;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Lamina's setting names, as {@link InvalidSettingException#setting()} gives them, and the
 * {@code quarkus.lamina.*} properties that set them: the one place the two vocabularies meet, so a value Lamina
 * refuses is reported under the property the user wrote, never by rewriting Lamina's message. A setting missing
 * here has no property (a {@code LaminaCacheCustomizer} sets it, such as {@code protection.remoteBreaker}).
 *
 * <p>The Spring Boot starter keeps the same tables under {@code lamina}: the two modules share only core and the
 * tier modules, and a framework's property names belong in none of them, so a setting added here is added there
 * too.
 */
final class PropertyNames {

  /** Settings of one cache: the property under {@code quarkus.lamina.caches."name"} or {@code ….defaults}. */
  static final Map<String, String> PER_CACHE = Map.ofEntries(
      entry("l1.maximumSize", "l1.maximum-size"),
      entry("l1.expireAfterWrite", "l1.expire-after-write"),
      entry("l1.ttlJitter", "l1.ttl-jitter"),
      entry("l1.maxAge", "l1.max-age"),
      entry("l2.ttl", "l2.ttl"),
      entry("l2.ttlJitter", "l2.ttl-jitter"),
      entry("negativeTtl", "negative-ttl"),
      entry("tombstoneTtl", "tombstone-ttl"),
      entry("loadTimeout", "load-timeout"),
      entry("remoteTimeout", "remote-timeout"),
      entry("writeTimeout", "write-timeout"),
      entry("degradedMaxAge", "degraded-max-age"),
      entry("writeStrategy", "write-strategy"),
      entry("remoteFailureMode", "remote-failure-mode"),
      entry("maxKeyBytes", "max-key-bytes"),
      entry("maxValueBytes", "max-value-bytes"),
      entry("protection.loadOnCallerThread", "protection.load-on-caller-thread"),
      entry("protection.distributedSingleFlight", "protection.distributed-single-flight"),
      entry("protection.staleWhileRevalidate", "protection.stale-while-revalidate"),
      entry("protection.staleIfError", "protection.stale-if-error"),
      entry("protection.earlyRefreshBeta", "protection.early-refresh-beta"),
      entry("protection.hotKeys", "protection.hot-keys"),
      entry("protection.hotKeyWindow", "protection.hot-key-window"),
      entry("protection.missRateLimit", "protection.miss-rate-limit"),
      entry("protection.maxAbandonedLoads", "protection.max-abandoned-loads"));

  /** Settings of the whole application: the full property. */
  static final Map<String, String> GLOBAL = Map.ofEntries(
      entry("namespace", "quarkus.lamina.namespace"),
      entry("schemaVersion", "quarkus.lamina.schema-version"),
      entry("previousSchemaVersions", "quarkus.lamina.previous-schema-versions"),
      entry("bus.heartbeatInterval", "quarkus.lamina.bus.heartbeat-interval"),
      entry("bus.detectionTime", "quarkus.lamina.bus.detection-time"),
      entry("bus.batchSize", "quarkus.lamina.bus.batch-size"),
      entry("bus.batchDelay", "quarkus.lamina.bus.batch-delay"),
      entry("bus.stalenessBound", "quarkus.lamina.bus.staleness-bound"));

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
