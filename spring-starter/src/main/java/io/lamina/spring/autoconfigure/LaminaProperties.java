package io.lamina.spring.autoconfigure;

import io.lamina.BusConfig;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.NestedConfigurationProperty;
import org.springframework.core.io.Resource;
import org.springframework.util.unit.DataSize;

/**
 * The {@code lamina.*} properties. (Longer than most files: every property is a documented field with accessors,
 * which is what Boot's configuration processor turns into IDE metadata.)
 *
 * <p>Every cache setting can be given once under {@code lamina.defaults} and
 * overridden per cache under {@code lamina.caches.<name>}; a setting left unset falls back to the defaults, then
 * to Lamina's own ({@code TieredCacheConfig.DEFAULT_*}).
 */
@ConfigurationProperties("lamina")
public class LaminaProperties {

  /** Whether Lamina's auto-configuration applies at all. */
  private boolean enabled = true;

  /**
   * The service's namespace: the first part of every Redis key and the name of the invalidation channel, so
   * services sharing a Redis or a NATS server never see each other's entries. Defaults to
   * spring.application.name, or "lamina" without one. Characters: [A-Za-z0-9._-].
   */
  private @Nullable String namespace;

  /** The schema version values are written under; bump it when the cached classes change incompatibly. */
  private int schemaVersion = 1;

  /** Older schema versions still in service during a rolling deploy: writes tombstone them too. */
  private List<Integer> previousSchemaVersions = new ArrayList<>();

  /**
   * Whether a cache not named under lamina.caches is created with the defaults when first used. When false,
   * using an unknown cache name fails (Spring reports the cache as not found).
   */
  private boolean dynamicCaches = true;

  /**
   * The most caches built under lamina.dynamic-caches (the ones named under lamina.caches do not count). A cache
   * name can come from request data (a SpEL cache name, a CacheResolver); past this number a new name fails with
   * an error naming this property and is counted by the meter lamina.caches.refused. At least 0.
   */
  private int maxDynamicCaches = 100; // LaminaCaches.DEFAULT_MAX_DYNAMIC_CACHES, as a literal for the metadata

  /**
   * Whether puts and evictions made inside a Spring-managed transaction wait until it commits (and are dropped
   * if it rolls back). Needs spring-tx on the classpath.
   */
  private boolean transactionAware = true;

  /**
   * Whether the caches live only in this JVM's heap, with no shared L2. Without it, start-up fails when no Redis
   * is configured (lamina.redis.*, spring.data.redis.* or a RedissonClient bean), because a cache that is silently
   * local in a cluster of instances serves stale data after writes on the others. Setting it together with
   * lamina.redis.address, .config, .cluster.nodes or .sentinel.* (or a RemoteTier bean) fails start-up as
   * contradictory; spring.data.redis.* and a RedissonClient bean are left to the application, unused by caches.
   */
  private boolean localOnly;

  /** Settings every cache starts from. */
  @NestedConfigurationProperty
  private final CacheSpec defaults = new CacheSpec();

  /** Per-cache settings, by cache name. The caches named here are created at start-up. */
  private final Map<String, CacheSpec> caches = new LinkedHashMap<>();

  private final Actuator actuator = new Actuator();

  private final Redis redis = new Redis();

  private final Bus bus = new Bus();

  public boolean isEnabled() {
    return enabled;
  }

  public void setEnabled(boolean enabled) {
    this.enabled = enabled;
  }

  public @Nullable String getNamespace() {
    return namespace;
  }

  public void setNamespace(@Nullable String namespace) {
    this.namespace = namespace;
  }

  public int getSchemaVersion() {
    return schemaVersion;
  }

  public void setSchemaVersion(int schemaVersion) {
    this.schemaVersion = schemaVersion;
  }

  public List<Integer> getPreviousSchemaVersions() {
    return previousSchemaVersions;
  }

  public void setPreviousSchemaVersions(List<Integer> previousSchemaVersions) {
    this.previousSchemaVersions = previousSchemaVersions;
  }

  public boolean isDynamicCaches() {
    return dynamicCaches;
  }

  public void setDynamicCaches(boolean dynamicCaches) {
    this.dynamicCaches = dynamicCaches;
  }

  public int getMaxDynamicCaches() {
    return maxDynamicCaches;
  }

  public void setMaxDynamicCaches(int maxDynamicCaches) {
    this.maxDynamicCaches = maxDynamicCaches;
  }

  public boolean isTransactionAware() {
    return transactionAware;
  }

  public void setTransactionAware(boolean transactionAware) {
    this.transactionAware = transactionAware;
  }

  public boolean isLocalOnly() {
    return localOnly;
  }

  public void setLocalOnly(boolean localOnly) {
    this.localOnly = localOnly;
  }

  public CacheSpec getDefaults() {
    return defaults;
  }

  public Map<String, CacheSpec> getCaches() {
    return caches;
  }

  public Actuator getActuator() {
    return actuator;
  }

  public Redis getRedis() {
    return redis;
  }

  public Bus getBus() {
    return bus;
  }

  /** What the lamina Actuator endpoint shows. */
  public static class Actuator {

    /**
     * Whether the endpoint shows hot keys by their ids. Ids may be tokens or personal data, so by default each is
     * shown as a stand-in ("hidden:" and 12 hex digits of an HMAC under a key drawn at start-up): the same id
     * keeps its stand-in while the application runs, but a stand-in cannot be traced back by hashing guesses.
     * Counts are shown either way.
     */
    private boolean showHotKeyIds;

    public boolean isShowHotKeyIds() {
      return showHotKeyIds;
    }

    public void setShowHotKeyIds(boolean showHotKeyIds) {
      this.showHotKeyIds = showHotKeyIds;
    }
  }

  /** Which transport carries invalidations between instances. */
  public enum BusType {
    /** No bus: other instances' L1 entries expire on their own (l1.expire-after-write). */
    NONE,
    /** Core NATS (needs io.nats:jnats). */
    NATS,
    /** Redis Pub/Sub on the Redis connection of L2. */
    REDIS
  }

  /**
   * The Redis connection Lamina creates when the application has no RedissonClient bean. Without an address, a
   * config file or spring.data.redis.* (and without such a bean) start-up fails unless lamina.local-only is true.
   */
  public static class Redis {

    /** Whether caches use Redis when it is available. */
    private boolean enabled = true;

    /**
     * The server, such as redis://127.0.0.1:6379 (rediss:// for TLS). For a Cluster set cluster.nodes, for
     * Sentinel sentinel.master and sentinel.nodes; one of the four ways only.
     */
    private @Nullable String address;

    /** A Redis Cluster; excludes address, config and sentinel. */
    private final Cluster cluster = new Cluster();

    /** A master watched by Redis Sentinel; excludes address, config and cluster. */
    private final Sentinel sentinel = new Sentinel();

    /** A Redisson YAML configuration (any topology); excludes address. */
    private @Nullable Resource config;

    /** The user name (Redis 6 ACL). */
    private @Nullable String username;

    /** The password. */
    private @Nullable String password;

    /** The database index. */
    private int database;

    /** The longest a connection attempt may take. */
    private Duration connectTimeout = Duration.ofSeconds(2);

    /** The longest Redisson waits for a command's reply. */
    private Duration timeout = Duration.ofSeconds(1);

    /**
     * Whether the application must not start without Redis. When false, it starts and caches follow
     * remote-failure-mode until Redis can be reached.
     */
    private boolean required = true;

    public boolean isEnabled() {
      return enabled;
    }

    public void setEnabled(boolean enabled) {
      this.enabled = enabled;
    }

    public @Nullable String getAddress() {
      return address;
    }

    public void setAddress(@Nullable String address) {
      this.address = address;
    }

    public @Nullable Resource getConfig() {
      return config;
    }

    public void setConfig(@Nullable Resource config) {
      this.config = config;
    }

    public @Nullable String getUsername() {
      return username;
    }

    public void setUsername(@Nullable String username) {
      this.username = username;
    }

    public @Nullable String getPassword() {
      return password;
    }

    public void setPassword(@Nullable String password) {
      this.password = password;
    }

    public int getDatabase() {
      return database;
    }

    public void setDatabase(int database) {
      this.database = database;
    }

    public Duration getConnectTimeout() {
      return connectTimeout;
    }

    public void setConnectTimeout(Duration connectTimeout) {
      this.connectTimeout = connectTimeout;
    }

    public Duration getTimeout() {
      return timeout;
    }

    public void setTimeout(Duration timeout) {
      this.timeout = timeout;
    }

    public boolean isRequired() {
      return required;
    }

    public void setRequired(boolean required) {
      this.required = required;
    }

    public Cluster getCluster() {
      return cluster;
    }

    public Sentinel getSentinel() {
      return sentinel;
    }

    /** A Redis Cluster. */
    public static class Cluster {

      /**
       * Seed nodes, such as redis://10.0.0.1:6379 (rediss:// for TLS, the same scheme for all); the client learns
       * the other members and follows failovers and slot moves itself.
       */
      private List<String> nodes = new ArrayList<>();

      public List<String> getNodes() {
        return nodes;
      }

      public void setNodes(List<String> nodes) {
        this.nodes = nodes;
      }
    }

    /** A master watched by Redis Sentinel. */
    public static class Sentinel {

      /** The name the sentinels monitor the master under. */
      private @Nullable String master;

      /** The sentinels, such as redis://10.0.0.1:26379 (rediss:// for TLS, the same scheme for all). */
      private List<String> nodes = new ArrayList<>();

      /** The user name for the sentinels themselves, when they require one (the data nodes use username). */
      private @Nullable String username;

      /** The password for the sentinels themselves, when they require one (the data nodes use password). */
      private @Nullable String password;

      public @Nullable String getMaster() {
        return master;
      }

      public void setMaster(@Nullable String master) {
        this.master = master;
      }

      public List<String> getNodes() {
        return nodes;
      }

      public void setNodes(List<String> nodes) {
        this.nodes = nodes;
      }

      public @Nullable String getUsername() {
        return username;
      }

      public void setUsername(@Nullable String username) {
        this.username = username;
      }

      public @Nullable String getPassword() {
        return password;
      }

      public void setPassword(@Nullable String password) {
        this.password = password;
      }
    }
  }

  /** The invalidation bus that keeps every instance's L1 coherent. */
  public static class Bus {

    /** The transport: none, nats or redis. Default redis when caches use Redis, none otherwise. */
    private @Nullable BusType type;

    /** How often an instance announces itself and its last sequence. */
    private Duration heartbeatInterval = BusConfig.ofDefaults().heartbeatInterval();

    /**
     * How long an instance may go without hearing itself or a live peer before it stops trusting its L1: the
     * bound on staleness after a fault. At least twice heartbeat-interval, at most 1m.
     */
    private Duration detectionTime = BusConfig.ofDefaults().detectionTime();

    /** The most invalidations of one cache sent in one message. */
    private int batchSize = BusConfig.ofDefaults().batchSize();

    /** How long the first invalidation of a batch waits for company before it is sent. */
    private Duration batchDelay = BusConfig.ofDefaults().batchDelay();

    /**
     * The staleness bound B: an instance serves an L1 entry older than this only while it can prove it has applied
     * every invalidation of every write completed more than B ago; otherwise it reads such entries from L2. At
     * least twice heartbeat-interval. Default five heartbeat intervals (500ms).
     */
    private @Nullable Duration stalenessBound;

    /**
     * Shared secrets (base64, at least 32 bytes each) that authenticate bus messages with HMAC-SHA256: messages are
     * signed with the first and accepted under any; two while rotating. Unset: messages are not authenticated, so
     * anyone who can publish on the channel is heard (see docs/security.md).
     */
    private @Nullable List<String> authKeys;

    private final Nats nats = new Nats();

    public @Nullable List<String> getAuthKeys() {
      return authKeys;
    }

    public void setAuthKeys(@Nullable List<String> authKeys) {
      this.authKeys = authKeys;
    }

    public @Nullable BusType getType() {
      return type;
    }

    public void setType(@Nullable BusType type) {
      this.type = type;
    }

    public Duration getHeartbeatInterval() {
      return heartbeatInterval;
    }

    public void setHeartbeatInterval(Duration heartbeatInterval) {
      this.heartbeatInterval = heartbeatInterval;
    }

    public Duration getDetectionTime() {
      return detectionTime;
    }

    public void setDetectionTime(Duration detectionTime) {
      this.detectionTime = detectionTime;
    }

    public int getBatchSize() {
      return batchSize;
    }

    public void setBatchSize(int batchSize) {
      this.batchSize = batchSize;
    }

    public Duration getBatchDelay() {
      return batchDelay;
    }

    public void setBatchDelay(Duration batchDelay) {
      this.batchDelay = batchDelay;
    }

    public @Nullable Duration getStalenessBound() {
      return stalenessBound;
    }

    public void setStalenessBound(@Nullable Duration stalenessBound) {
      this.stalenessBound = stalenessBound;
    }

    public Nats getNats() {
      return nats;
    }
  }

  /** The NATS connection Lamina creates when the application has no io.nats.client.Connection bean. */
  public static class Nats {

    /**
     * The server, such as nats://127.0.0.1:4222 (tls:// for TLS with the JDK's trust). Credentials may be given in
     * the URL, but then no other way to authenticate may be set; logs and health details show it without them.
     */
    private String url = "nats://127.0.0.1:4222";

    /** A NATS credentials file (user JWT and nkey seed, as nsc writes it). Excludes the other ways to authenticate. */
    private @Nullable String credentialsFile;

    /** A file holding the nkey seed (SU...) of a user the server lists by public nkey. */
    private @Nullable String nkeySeedFile;

    /** An authorization token. */
    private @Nullable String token;

    /** The user name; needs password. */
    private @Nullable String username;

    /** The password of username. */
    private @Nullable String password;

    /**
     * Whether invalidations go through a JetStream stream, so an instance that was cut off replays what it
     * missed instead of flushing its L1 (needs a server with JetStream enabled).
     */
    private boolean jetstream;

    /**
     * Whether the application must not start without NATS. When false, it starts at once and connects in the
     * background: until connected every cache is degraded (it serves from L2, not from its L1) and the nats
     * health part is DOWN.
     */
    private boolean required = true;

    /** How long the JetStream stream keeps invalidations. */
    private Duration retention = Duration.ofMinutes(10);

    /** The most the JetStream stream keeps; past it the oldest invalidations go and a node that needed them flushes. */
    private DataSize maxBytes = DataSize.ofMegabytes(256);

    /** TLS to the server. */
    private final Tls tls = new Tls();

    public @Nullable String getCredentialsFile() {
      return credentialsFile;
    }

    public void setCredentialsFile(@Nullable String credentialsFile) {
      this.credentialsFile = credentialsFile;
    }

    public @Nullable String getNkeySeedFile() {
      return nkeySeedFile;
    }

    public void setNkeySeedFile(@Nullable String nkeySeedFile) {
      this.nkeySeedFile = nkeySeedFile;
    }

    public @Nullable String getToken() {
      return token;
    }

    public void setToken(@Nullable String token) {
      this.token = token;
    }

    public @Nullable String getUsername() {
      return username;
    }

    public void setUsername(@Nullable String username) {
      this.username = username;
    }

    public @Nullable String getPassword() {
      return password;
    }

    public void setPassword(@Nullable String password) {
      this.password = password;
    }

    public DataSize getMaxBytes() {
      return maxBytes;
    }

    public void setMaxBytes(DataSize maxBytes) {
      this.maxBytes = maxBytes;
    }

    public Tls getTls() {
      return tls;
    }

    public String getUrl() {
      return url;
    }

    public void setUrl(String url) {
      this.url = url;
    }

    public boolean isJetstream() {
      return jetstream;
    }

    public void setJetstream(boolean jetstream) {
      this.jetstream = jetstream;
    }

    public Duration getRetention() {
      return retention;
    }

    public void setRetention(Duration retention) {
      this.retention = retention;
    }

    public boolean isRequired() {
      return required;
    }

    public void setRequired(boolean required) {
      this.required = required;
    }
  }

  /** TLS to NATS: the JDK's default trust with enabled=true, or a trust store (and a key store for client certificates). */
  public static class Tls {

    /** Whether to use TLS with the JDK's default trust; implied by trust-store or key-store. */
    private boolean enabled;

    /** A trust store file holding the certificates that sign the server's. */
    private @Nullable String trustStore;

    /** The trust store's password. */
    private @Nullable String trustStorePassword;

    /** The trust store's type. */
    private String trustStoreType = "PKCS12";

    /** A key store file with this client's certificate and key, for servers that verify clients. */
    private @Nullable String keyStore;

    /** The key store's password (also the key's). */
    private @Nullable String keyStorePassword;

    /** The key store's type. */
    private String keyStoreType = "PKCS12";

    public boolean isEnabled() {
      return enabled;
    }

    public void setEnabled(boolean enabled) {
      this.enabled = enabled;
    }

    public @Nullable String getTrustStore() {
      return trustStore;
    }

    public void setTrustStore(@Nullable String trustStore) {
      this.trustStore = trustStore;
    }

    public @Nullable String getTrustStorePassword() {
      return trustStorePassword;
    }

    public void setTrustStorePassword(@Nullable String trustStorePassword) {
      this.trustStorePassword = trustStorePassword;
    }

    public String getTrustStoreType() {
      return trustStoreType;
    }

    public void setTrustStoreType(String trustStoreType) {
      this.trustStoreType = trustStoreType;
    }

    public @Nullable String getKeyStore() {
      return keyStore;
    }

    public void setKeyStore(@Nullable String keyStore) {
      this.keyStore = keyStore;
    }

    public @Nullable String getKeyStorePassword() {
      return keyStorePassword;
    }

    public void setKeyStorePassword(@Nullable String keyStorePassword) {
      this.keyStorePassword = keyStorePassword;
    }

    public String getKeyStoreType() {
      return keyStoreType;
    }

    public void setKeyStoreType(String keyStoreType) {
      this.keyStoreType = keyStoreType;
    }
  }
}
