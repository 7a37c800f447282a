package io.lamina.spring.autoconfigure;

import io.lamina.Redact;
import io.lamina.TieredCache;
import io.lamina.TieredCacheConfig;
import io.lamina.spring.LaminaCaches;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.jspecify.annotations.Nullable;
import org.redisson.api.RedissonClient;
import org.redisson.config.Config;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.util.ClassUtils;

/**
 * The lines logged once the caches exist, so a user sees what was set up without reading the configuration: the
 * namespace, where Redis is (user-info redacted), which bus carries invalidations, and each configured cache's
 * main settings.
 */
final class StartupSummary {

  private static final Logger log = LoggerFactory.getLogger(LaminaAutoConfiguration.class);

  private StartupSummary() {}

  /** Logs the summary at INFO. */
  static void log(LaminaProperties properties, LaminaCaches caches, CacheFactory factory,
      ListableBeanFactory beans) {
    if (!log.isInfoEnabled()) {
      return;
    }
    String redis = null;
    if (factory.hasRemote()) {
      redis = ClassUtils.isPresent("org.redisson.api.RedissonClient", StartupSummary.class.getClassLoader())
          ? Redisson.describe(beans) : "the application's RemoteTier";
    }
    String natsUrl = beans.containsBean("laminaNatsConnection") || beans.containsBean("laminaBackgroundNatsBus")
        ? Redact.userInfo(properties.getBus().getNats().getUrl()) : null;
    for (String line : lines(properties, caches, factory, redis, natsUrl)) {
      log.info(line);
    }
  }

  /**
   * The summary's lines.
   *
   * @param redis where L2 is, null without Redis
   * @param natsUrl the URL of the NATS connection Lamina opened or opens in the background (redacted), null when
   *     it opens none
   */
  static List<String> lines(LaminaProperties properties, LaminaCaches caches, CacheFactory factory,
      @Nullable String redis, @Nullable String natsUrl) {
    List<String> lines = new ArrayList<>();
    String namespace = factory.namespace();
    String bus = factory.busName();
    lines.add("Lamina: namespace '" + namespace + "', Redis "
        + (redis != null ? redis : properties.isLocalOnly()
            ? "none (lamina.local-only=true: caches live only in this instance's heap)"
            : "none (lamina.redis.enabled=false: caches are local to this instance)")
        + ", bus " + (bus == null ? "none (other instances' L1 entries expire on their own)"
            : bus(bus, natsUrl, !properties.getBus().getNats().isRequired(), namespace,
                properties.getBus().getAuthKeys()))
        + ", " + caches.names().size() + " cache(s) built"
        + (properties.isDynamicCaches()
            ? ", others created on first use (at most " + properties.getMaxDynamicCaches() + ")"
            : ", no others (lamina.dynamic-caches=false)"));
    for (String name : caches.names()) {
      TieredCache<String, Object> cache = caches.get(name);
      if (cache != null) {
        lines.add(cache(name, cache.config(), factory.codecDescription(name),
            factory.putMode(name).name().toLowerCase(Locale.ROOT)));
      }
    }
    return lines;
  }

  private static String cache(String name, TieredCacheConfig config, @Nullable String codec, String putMode) {
    return "Lamina cache '" + name + "': L1 " + config.l1MaximumSize() + " entries for "
        + duration(config.l1ExpireAfterWrite())
        + (codec == null ? ", no L2" : ", L2 for " + duration(config.l2Ttl()) + " (codec " + codec + ")")
        + ", " + kebab(config.writeStrategy()) + ", put " + putMode + "s"
        + ", load-timeout " + duration(config.loadTimeout());
  }

  private static String bus(String kind, @Nullable String natsUrl, boolean inBackground, String namespace,
      @Nullable List<String> authKeys) {
    return kind + (natsUrl != null ? " at " + natsUrl : "")
        + (natsUrl != null && inBackground ? ", connecting in the background (lamina.bus.nats.required=false:"
            + " caches start degraded, reading L2, until it connects)" : "")
        + " (channel of namespace '" + namespace + "', "
        + (authKeys == null || authKeys.isEmpty() ? "messages not authenticated)" : "messages authenticated)");
  }

  /** Keeps Redisson types out of the outer class. */
  private static final class Redisson {

    static String describe(ListableBeanFactory beans) {
      RedissonClient client = beans.getBeanProvider(RedissonClient.class).getIfUnique();
      return client == null ? "the application's RemoteTier" : describe(client.getConfig());
    }

    /**
     * Where a client connects, read from its configuration. Each use* call is made only for the topology the
     * configuration already has, which it then returns as it is (it creates nothing).
     */
    static String describe(Config config) {
      if (config.isClusterConfig()) {
        return "cluster " + Redact.userInfo(config.useClusterServers().getNodeAddresses());
      }
      if (config.isSentinelConfig()) {
        return "sentinel master '" + config.useSentinelServers().getMasterName() + "' via "
            + Redact.userInfo(config.useSentinelServers().getSentinelAddresses());
      }
      if (config.isSingleConfig()) {
        return Redact.userInfo(config.useSingleServer().getAddress())
            + " (database " + config.useSingleServer().getDatabase() + ")";
      }
      return "(a Redisson topology this summary does not describe)";
    }
  }

  private static String kebab(Enum<?> value) {
    return value.name().toLowerCase(Locale.ROOT).replace('_', '-');
  }

  /** As a user writes it in a properties file: 5m, 30s, 1h, 250ms. */
  static String duration(Duration d) {
    long ms = d.toMillis();
    if (ms % 3_600_000 == 0 && ms > 0) {
      return ms / 3_600_000 + "h";
    }
    if (ms % 60_000 == 0 && ms > 0) {
      return ms / 60_000 + "m";
    }
    if (ms % 1_000 == 0) {
      return ms / 1_000 + "s";
    }
    return ms + "ms";
  }
}
