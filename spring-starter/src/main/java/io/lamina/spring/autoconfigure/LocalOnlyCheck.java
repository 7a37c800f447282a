package io.lamina.spring.autoconfigure;

import io.lamina.spi.RemoteTier;
import org.jspecify.annotations.Nullable;
import org.springframework.core.env.Environment;
import org.springframework.util.ClassUtils;

/**
 * Caches without a shared L2 only when the application says so. A cache that is local by accident (Redis settings
 * forgotten in one environment) looks healthy on one instance, but in a cluster each instance keeps its own copy and
 * serves stale data after writes on the others. So start-up fails when no Redis is configured, unless
 * {@code lamina.local-only=true} (or {@code lamina.redis.enabled=false}, which turns Redis off on purpose); and
 * {@code lamina.local-only=true} beside Lamina's own Redis settings (or a {@code RemoteTier} bean) fails too,
 * naming both.
 */
final class LocalOnlyCheck {

  private static final String WHAT_TO_SET = "set lamina.redis.address (or spring.data.redis.*) for a shared L2,"
      + " or lamina.local-only=true for caches that live only in this JVM's heap";
  private static final String WAYS = "or lamina.redis.cluster.nodes, lamina.redis.sentinel.master and .nodes, or"
      + " lamina.redis.config; without any of them, Spring Data Redis's spring.data.redis.url, .host, .cluster.nodes"
      + " or .sentinel.* are used";

  private LocalOnlyCheck() {}

  /**
   * Fails when the caches would have no L2 although the application did not ask for that, or when it asked for
   * local-only caches and configured Lamina's Redis too.
   *
   * @param remote the remote tier the caches would get: with {@code lamina.local-only=true} only one the
   *     application declared, since the starter then creates none
   */
  static void check(LaminaProperties properties, Environment environment, @Nullable RemoteTier remote,
      @Nullable ClassLoader loader) {
    if (properties.isLocalOnly()) {
      String redis = RedisTopology.laminaSetting(environment);
      if (redis != null) {
        throw new LaminaStartupException("lamina.local-only=true contradicts " + redis + ": local-only caches use"
            + " no Redis", "Remove " + redis + " for caches that live only in this JVM's heap, or remove"
            + " lamina.local-only for a shared L2 on that Redis.");
      }
      if (remote != null) {
        throw new LaminaStartupException("lamina.local-only=true contradicts the application's RemoteTier bean ("
            + remote.getClass().getName() + "): local-only caches use no L2", "Remove the RemoteTier bean for"
            + " caches that live only in this JVM's heap, or remove lamina.local-only to use it as L2.");
      }
      return;
    }
    if (remote != null || !properties.getRedis().isEnabled()) {
      return;
    }
    if (!ClassUtils.isPresent("org.redisson.api.RedissonClient", loader)
        || !ClassUtils.isPresent("io.lamina.redis.RedissonRemoteTier", loader)) {
      throw new LaminaStartupException("Lamina found no Redis client (io.lamina:lamina-l2-redis and Redisson are"
          + " not on the classpath): add them, and " + WHAT_TO_SET,
          "Add io.lamina:lamina-l2-redis, and " + WHAT_TO_SET + ".");
    }
    throw new LaminaStartupException("Lamina found no Redis settings (lamina.redis.*, spring.data.redis.* or a"
        + " RedissonClient bean): " + WHAT_TO_SET,
        "For caches shared between instances, set lamina.redis.address (" + WAYS + "). For caches that live only"
            + " in this JVM's heap, set lamina.local-only=true. (Caches local by accident would serve stale data on"
            + " one instance after writes on another.)");
  }
}
