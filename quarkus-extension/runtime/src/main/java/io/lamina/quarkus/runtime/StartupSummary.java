package io.lamina.quarkus.runtime;

import io.lamina.Redact;
import io.lamina.TieredCache;
import io.lamina.TieredCacheConfig;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.redisson.api.RedissonClient;
import org.redisson.config.Config;

/**
 * The lines logged once the caches exist, so a user sees what was set up without reading the configuration: the
 * namespace, where Redis is (user-info redacted), which bus carries invalidations, and each cache's main settings.
 */
final class StartupSummary {

  private StartupSummary() {}

  /**
   * The summary's lines.
   *
   * @param redis the client L2 uses, null without Redis
   * @param bus the bus's name ({@code nats}, {@code redis}), null without one
   * @param natsUrl the URL of the NATS connection Lamina opened (redacted), null when it opened none
   * @param natsConnecting whether that connection is still being made in the background, so caches start degraded
   * @param caches every cache built, by name, with whether it uses Redis
   */
  static List<String> lines(String namespace, @Nullable RedissonClient redis, @Nullable String bus,
      @Nullable String natsUrl, boolean natsConnecting, boolean authenticated,
      Map<String, TieredCache<String, Object>> caches, Map<String, Boolean> usesRedis) {
    List<String> lines = new ArrayList<>();
    lines.add("Lamina: namespace '" + namespace + "', Redis "
        + (redis == null ? "none (caches are local to this instance)" : describe(redis.getConfig()))
        + ", bus " + (bus == null ? "none (other instances' L1 entries expire on their own)"
            : bus + (natsUrl != null ? " at " + natsUrl : "") + " (channel of namespace '" + namespace + "', "
                + (authenticated ? "messages authenticated)" : "messages not authenticated)")
                + (natsConnecting ? ", not connected yet: caches start degraded (L1 bypassed, reads go to Redis)"
                    + " until it connects in the background and they hear the cluster" : ""))
        + ", " + caches.size() + " cache(s) built");
    caches.forEach((name, cache) -> {
      TieredCacheConfig config = cache.config();
      lines.add("Lamina cache '" + name + "': L1 " + config.l1MaximumSize() + " entries for "
          + duration(config.l1ExpireAfterWrite())
          + (Boolean.TRUE.equals(usesRedis.get(name)) ? ", L2 for " + duration(config.l2Ttl()) : ", no L2")
          + ", " + config.writeStrategy().name().toLowerCase(Locale.ROOT).replace('_', '-')
          + ", load-timeout " + duration(config.loadTimeout()));
    });
    return lines;
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

  /** As a user writes it in application.properties: 5m, 30s, 1h, 250ms. */
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
