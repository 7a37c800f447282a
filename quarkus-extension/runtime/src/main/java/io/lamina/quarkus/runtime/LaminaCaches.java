package io.lamina.quarkus.runtime;

import io.lamina.AuthenticatedBus;
import io.lamina.BusConfig;
import io.lamina.TieredCache;
import io.lamina.bus.RedisPubSubInvalidationBus;
import io.lamina.caffeine.CaffeineLocalTier;
import io.lamina.quarkus.LaminaCache;
import io.lamina.quarkus.LaminaCacheCustomizer;
import io.lamina.quarkus.runtime.LaminaConfig.BusType;
import io.lamina.redis.RedissonRemoteTier;
import io.lamina.spi.InvalidationBus;
import io.lamina.spi.RemoteTier;
import io.quarkus.arc.Arc;
import io.quarkus.arc.InstanceHandle;
import io.quarkus.runtime.configuration.ConfigurationException;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.eclipse.microprofile.config.ConfigProvider;
import org.jboss.logging.Logger;
import org.jspecify.annotations.Nullable;
import org.redisson.api.RedissonClient;

/**
 * The application's Lamina caches and the clients they use: the application's {@link RedissonClient} and NATS
 * {@code Connection} beans when it has them, else clients created from {@code quarkus.lamina.*}. Built when
 * Quarkus' cache manager is (at start-up); closed with the application — caches first, then the clients this
 * bean created (never the application's own).
 *
 * <p>Thread-safe.
 */
@Singleton
public class LaminaCaches {

  private static final Logger log = Logger.getLogger(LaminaCaches.class);

  private final Map<String, LaminaQuarkusCache> caches = new TreeMap<>();
  private @Nullable RedissonClient redisson;
  private boolean ownsRedisson;
  private @Nullable NatsClients nats;
  private @Nullable InvalidationBus bus;
  private @Nullable RemoteTier remoteTier;
  private boolean started;

  /** Builds the caches named {@code names}; {@code valueTypes} are the classes their methods return. */
  synchronized Map<String, LaminaQuarkusCache> start(Collection<String> names, Map<String, List<String>> valueTypes) {
    if (started) {
      throw new IllegalStateException("Lamina's caches are already built");
    }
    started = true;
    LaminaConfig config = Arc.container().select(LaminaConfig.class).get();
    try {
      BusConfig busConfig = LaminaCacheFactory.busConfig(config.bus());
      RemoteTier remote = remote(config);
      remoteTier = remote;
      bus = authenticated(config, bus(config, remote));
      List<LaminaCacheCustomizer> customizers = new ArrayList<>();
      for (InstanceHandle<LaminaCacheCustomizer> h : Arc.container().listAll(LaminaCacheCustomizer.class)) {
        customizers.add(h.get()); // highest @Priority first
      }
      InstanceHandle<CacheListeners> metrics = Arc.container().instance(CacheListeners.class);
      LaminaCacheFactory factory = new LaminaCacheFactory(config, namespace(config), CaffeineLocalTier.provider(),
          remote, bus, busConfig, valueTypes, JsonCodecs::of, customizers,
          metrics.isAvailable() ? metrics.get() : CacheListeners.NONE);
      factory.checkDefaults();
      Map<String, TieredCache<String, Object>> built = new TreeMap<>();
      Map<String, Boolean> usesRedis = new TreeMap<>();
      for (String name : names) {
        TieredCache<String, Object> cache = factory.create(name);
        caches.put(name, new LaminaQuarkusCache(cache));
        built.put(name, cache);
        usesRedis.put(name, factory.usesRemote(name));
      }
      if (log.isInfoEnabled()) {
        NatsClients n = nats;
        String natsUrl = n != null && n.owned() ? NatsClients.settings(config.bus().nats()).redactedUrl() : null;
        boolean authenticated = !config.bus().authKeys().orElse(List.of()).isEmpty();
        boolean connecting = n != null && n.connecting();
        for (String line : StartupSummary.lines(factory.namespace(), redisson, busName(), natsUrl, connecting,
            authenticated, built, usesRedis)) {
          log.info(line);
        }
      }
      return Map.copyOf(caches);
    } catch (RuntimeException e) {
      close();
      throw e;
    }
  }

  /** The names of the caches, sorted. */
  public synchronized Set<String> names() {
    return Set.copyOf(caches.keySet());
  }

  /** The cache named {@code name}, or null. */
  public synchronized @Nullable LaminaCache get(String name) {
    return caches.get(name);
  }

  /** The Redisson client L2 uses, or null when caches are local. */
  public synchronized @Nullable RedissonClient redisson() {
    return redisson;
  }

  /**
   * The NATS connection the bus uses (an {@code io.nats.client.Connection}), or null without a NATS bus or while
   * it is still connecting ({@link #natsConnecting()}).
   */
  public synchronized @Nullable Object natsConnection() {
    NatsClients n = nats;
    return n == null ? null : n.connection();
  }

  /**
   * Whether the NATS bus is still connecting in the background ({@code quarkus.lamina.bus.nats.required=false}):
   * until it has, every cache is degraded and {@link #natsConnection()} is null.
   */
  public synchronized boolean natsConnecting() {
    NatsClients n = nats;
    return n != null && n.connecting();
  }

  /** The remote tier of L2 (on {@link #redisson()}), or null when caches are local. */
  public synchronized @Nullable RemoteTier remoteTier() {
    return remoteTier;
  }

  /** The bus's name ({@code nats}, {@code redis}), or null without a bus. */
  public synchronized @Nullable String busName() {
    InvalidationBus b = bus;
    return b == null ? null : b.name();
  }

  private @Nullable RemoteTier remote(LaminaConfig config) {
    if (!config.redis().enabled()) {
      return null;
    }
    InstanceHandle<RedissonClient> bean = Arc.container().instance(RedissonClient.class);
    if (bean.isAvailable()) {
      redisson = bean.get();
    } else if (RedisClients.configured(config.redis())) {
      redisson = RedisClients.create(config.redis());
      ownsRedisson = true;
    } else {
      log.info("Lamina: no Redis configured (quarkus.lamina.redis.address, quarkus.lamina.redis.config or a"
          + " RedissonClient bean): caches are local to this instance");
      return null;
    }
    return RedissonRemoteTier.of(redisson);
  }

  /** The bus with quarkus.lamina.bus.auth-keys applied; a key is never printed, only its position. */
  static @Nullable InvalidationBus authenticated(LaminaConfig config, @Nullable InvalidationBus bus) {
    List<String> keys = config.bus().authKeys().orElse(List.of());
    String property = "quarkus.lamina.bus.auth-keys";
    if (keys.isEmpty()) {
      return bus;
    }
    if (bus == null) {
      throw new ConfigurationException(property + " is set but there is no bus (quarkus.lamina.bus.type)",
          Set.of(property));
    }
    List<byte[]> decoded = new ArrayList<>();
    for (int i = 0; i < keys.size(); i++) {
      try {
        decoded.add(Base64.getDecoder().decode(keys.get(i).trim()));
      } catch (IllegalArgumentException e) {
        throw new ConfigurationException(property + "[" + i + "] is not valid: not base64", Set.of(property));
      }
    }
    try {
      AuthenticatedBus authenticated = AuthenticatedBus.wrap(bus, decoded);
      log.info("Lamina: bus messages are authenticated (HMAC-SHA256, " + keys.size() + " key(s))");
      return authenticated;
    } catch (IllegalArgumentException e) {
      throw new ConfigurationException(property + " is not valid: " + e.getMessage(), Set.of(property));
    }
  }

  private @Nullable InvalidationBus bus(LaminaConfig config, @Nullable RemoteTier remote) {
    BusType type = config.bus().type().orElse(remote != null ? BusType.REDIS : BusType.NONE);
    switch (type) {
      case NATS:
        requireNats(LaminaCaches.class.getClassLoader());
        nats = NatsClients.open(config.bus().nats());
        return nats.bus(config.bus().nats());
      case REDIS:
        RedissonClient client = redisson;
        if (client == null) {
          throw new ConfigurationException("quarkus.lamina.bus.type=redis is not valid: Redis Pub/Sub needs Redis;"
              + " set quarkus.lamina.redis.address or quarkus.lamina.redis.config, or produce a RedissonClient bean"
              + (config.redis().enabled() ? "" : " (quarkus.lamina.redis.enabled is false)"),
              Set.of("quarkus.lamina.bus.type"));
        }
        return RedisPubSubInvalidationBus.of(client);
      case NONE:
      default:
        if (remote != null) {
          log.warn("Lamina: caches use Redis but quarkus.lamina.bus.type=none; other instances' L1 entries stay"
              + " until they expire");
        }
        return null;
    }
  }

  /** Fails, naming quarkus.lamina.bus.type, when {@code loader} cannot see jnats. */
  static void requireNats(@Nullable ClassLoader loader) {
    try {
      Class.forName("io.nats.client.Connection", false, loader);
    } catch (ClassNotFoundException | LinkageError e) {
      throw new ConfigurationException("quarkus.lamina.bus.type=nats is not valid: jnats is not on the"
          + " classpath; add the dependency io.nats:jnats, or choose quarkus.lamina.bus.type=redis or none",
          Set.of("quarkus.lamina.bus.type"));
    }
  }

  /** quarkus.lamina.namespace, else quarkus.application.name made fit for a key, else "lamina". */
  private static String namespace(LaminaConfig config) {
    if (config.namespace().isPresent()) {
      return config.namespace().get();
    }
    String app = ConfigProvider.getConfig().getOptionalValue("quarkus.application.name", String.class).orElse("");
    if (app.isBlank()) {
      return "lamina";
    }
    String fit = app.trim().replaceAll("[^A-Za-z0-9._-]", "-");
    if (fit.length() > 128) {
      fit = fit.substring(0, 128);
    }
    if (!fit.equals(app)) {
      log.infof("Lamina: namespace '%s' derived from quarkus.application.name '%s'; set quarkus.lamina.namespace"
          + " to choose", fit, app);
    }
    return fit;
  }

  /** Closes every cache, then the clients this bean created. */
  @PreDestroy
  synchronized void close() {
    for (Map.Entry<String, LaminaQuarkusCache> e : caches.entrySet()) {
      try {
        e.getValue().tiered().close();
        log.debugf("Lamina: closed cache '%s'", e.getKey());
      } catch (RuntimeException ex) {
        log.warnf(ex, "Closing Lamina cache '%s' failed", e.getKey());
      }
    }
    caches.clear();
    remoteTier = null;
    NatsClients n = nats;
    nats = null;
    if (n != null) {
      try {
        n.close();
        log.debug(n.owned() ? "Lamina: closed the NATS connection it opened"
            : "Lamina: left the application's NATS connection open");
      } catch (InterruptedException ex) {
        Thread.currentThread().interrupt();
      }
    }
    RedissonClient r = redisson;
    redisson = null;
    if (r != null && ownsRedisson) {
      r.shutdown();
      log.debug("Lamina: shut down the Redisson client it created");
    } else if (r != null) {
      log.debug("Lamina: left the application's Redisson client open");
    }
  }
}
