package io.lamina.quarkus.runtime;

import io.lamina.RemoteFailureMode;
import io.lamina.WriteStrategy;
import io.lamina.warming.WarmupMode;
import io.quarkus.runtime.annotations.ConfigDocMapKey;
import io.quarkus.runtime.annotations.ConfigDocSection;
import io.quarkus.runtime.annotations.ConfigPhase;
import io.quarkus.runtime.annotations.ConfigRoot;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import io.quarkus.runtime.configuration.MemorySize;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.OptionalLong;

/**
 * The {@code quarkus.lamina.*} properties read at start-up: the same tree as the Spring starter's
 * {@code lamina.*}. Every cache setting can be given once under {@code quarkus.lamina.defaults} and overridden per
 * cache under {@code quarkus.lamina.caches."name"}; a setting left unset falls back to the defaults, then to
 * Lamina's own ({@code TieredCacheConfig.DEFAULT_*}).
 *
 * <p>Past 400 lines because it is the whole {@code quarkus.lamina.*} tree Quarkus maps, one method per property
 * with its javadoc, which users read as the configuration reference; one file shows the tree as they write it.
 */
@ConfigMapping(prefix = "quarkus.lamina")
@ConfigRoot(phase = ConfigPhase.RUN_TIME)
public interface LaminaConfig {

  /**
   * The service's namespace: the first part of every Redis key and the name of the invalidation channel, so
   * services sharing a Redis or a NATS server never see each other's entries. Defaults to
   * {@code quarkus.application.name}, or {@code lamina} without one. Characters: {@code [A-Za-z0-9._-]}.
   */
  Optional<String> namespace();

  /** The schema version values are written under; bump it when the cached classes change incompatibly. */
  @WithDefault("1")
  int schemaVersion();

  /** Older schema versions still in service during a rolling deploy: writes tombstone them too. */
  Optional<List<Integer>> previousSchemaVersions();

  /** Settings every cache starts from. */
  @ConfigDocSection
  CacheSettings defaults();

  /** Per-cache settings, by cache name (the name in {@code @CacheResult(cacheName = ...)}). */
  @ConfigDocMapKey("cache-name")
  @ConfigDocSection
  Map<String, CacheSettings> caches();

  /** The Redis connection of L2. */
  @ConfigDocSection
  Redis redis();

  /** The invalidation bus that keeps every instance's L1 coherent. */
  @ConfigDocSection
  Bus bus();

  /** How a cache encodes its values for Redis. */
  enum Codec {
    /** Apache Fory, binary and fast; only JDK types and the registered value types are accepted. */
    FORY,
    /** JSON through Jackson 2 (the application's ObjectMapper when it has one); needs exactly one value type. */
    JSON,
    /** UTF-8 text; values must be strings. */
    STRING
  }

  /** Which transport carries invalidations between instances. */
  enum BusType {
    /** No bus: other instances' L1 entries expire on their own (l1.expire-after-write). */
    NONE,
    /** Core NATS (needs io.nats:jnats). */
    NATS,
    /** Redis Pub/Sub on the Redis connection of L2. */
    REDIS
  }

  /** The settings of one cache; unset values fall back to quarkus.lamina.defaults, then to Lamina's defaults. */
  interface CacheSettings {

    /** The in-heap tier. */
    L1 l1();

    /** The shared Redis tier. */
    L2 l2();

    /** Stampede, breakdown and outage protection. */
    Protection protection();

    /** How long a negative result (the method returned null) is cached, in both tiers. Default 30s. */
    Optional<Duration> negativeTtl();

    /** How long Redis keeps a tombstone left by a write or invalidation. Default 10m. */
    Optional<Duration> tombstoneTtl();

    /** The longest a load may take, and the longest a caller waits for another caller's load. Default 10s. */
    Optional<Duration> loadTimeout();

    /** The longest a call waits for Redis before it counts as unavailable. Default 1s. */
    Optional<Duration> remoteTimeout();

    /** The longest a write-through writer may take (the lifetime of its intent). Default 10s. */
    Optional<Duration> writeTimeout();

    /**
     * While the instance cannot prove it hears every invalidation (degraded), L1 entries younger than this are
     * still served; 0 (the default) bypasses L1. At most quarkus.lamina.bus.detection-time.
     */
    Optional<Duration> degradedMaxAge();

    /**
     * How the cache relates to its source. Annotated methods are read-through over cache-aside (the default);
     * strategies that call a writer need one set on the TieredCache's builder, which properties cannot do.
     */
    Optional<WriteStrategy> writeStrategy();

    /** What a read does when Redis cannot be reached: bypass (load without caching) or fail. Default bypass. */
    Optional<RemoteFailureMode> remoteFailureMode();

    /** The longest key id accepted, in UTF-8 bytes. Default 16384. */
    OptionalInt maxKeyBytes();

    /** The largest encoded value accepted for Redis, in bytes. Default 1048576. */
    OptionalInt maxValueBytes();

    /** How values are encoded for Redis. Default fory. */
    Optional<Codec> codec();

    /**
     * The classes the cache holds (and the non-JDK classes inside them), by fully qualified name. Fory accepts
     * only these besides JDK types; JSON reads values as the single class given. When unset, the return types of
     * the cache's {@code @CacheResult} methods (inside {@code Uni} or {@code CompletionStage}) are used.
     */
    Optional<List<String>> valueTypes();

    /** Warming at start-up and refresh of hot keys ahead of their expiry. */
    Warming warming();
  }

  /**
   * How one cache is warmed at start-up ({@code quarkus.lamina.caches."name".warming.*}, over
   * {@code quarkus.lamina.defaults.warming.*}, over {@code WarmupConfig.DEFAULT_*}). Keys come from {@code keys},
   * from the hot keys running instances recorded in Redis ({@code recorded-hot-keys}) and from
   * {@code LaminaWarmupSource} beans naming the cache.
   */
  interface Warming {

    /** Whether the cache is warmed when the application starts. Default false. */
    Optional<Boolean> enabled();

    /**
     * What the warm-up may read: l2-then-source (Redis first, then the source, through a LaminaWarmupSource bean's
     * loader, for what Redis lacks) or l2-only (copy what Redis holds, never touch the source). Default
     * l2-then-source.
     */
    Optional<WarmupMode> mode();

    /** Keys to warm, as canonical ids (such as {@code l:42} for the key {@code 42L}; see LaminaCache.idOf). */
    Optional<List<String>> keys();

    /** How many of the hot keys recorded in Redis by running instances to warm, hottest first. Default 0 (none). */
    OptionalInt recordedHotKeys();

    /** Keys per pipelined Redis round trip, and at most per source batch. Default 500. */
    OptionalInt batchSize();

    /** Keys per second this instance's warm-up may ask the source for. Default 1000. */
    OptionalInt sourceRateLimit();

    /** Batches in flight at once. Default 2. */
    OptionalInt concurrency();

    /** The most keys one warm-up plans. Default 100000. */
    OptionalInt maxKeys();

    /** How long the warm-up may run; past it, it stops with a warning (and readiness opens). Default 2m. */
    Optional<Duration> deadline();

    /** How often a running warm-up logs its progress. Default 5s. */
    Optional<Duration> progressInterval();

    /**
     * Whether the {@code Lamina warming} readiness check is DOWN until this cache's warm-up has ended (done or
     * past its deadline). Default false.
     */
    Optional<Boolean> readiness();

    /** Scheduled refresh of the keys that stay hot, ahead of their Redis expiry (one instance per key). */
    Refresh refresh();
  }

  /**
   * Refresh ahead of expiry: this instance's hot keys (protection.hot-keys must be set) are reloaded when their
   * Redis copy nears expiry, by the one instance that wins the key's refresh lease, with the loader of a
   * LaminaWarmupSource bean. A key nobody reads any more stops being refreshed.
   */
  interface Refresh {

    /** Whether hot keys are refreshed ahead of expiry. Default false. */
    Optional<Boolean> enabled();

    /** How often this instance looks at its hot keys. Default 30s. */
    Optional<Duration> period();

    /** How long before its Redis expiry a hot key is reloaded; longer than period, shorter than l2.ttl. Default 2m. */
    Optional<Duration> ahead();

    /** Source keys per second the refresh may load, on this instance. Default 100. */
    OptionalInt rateLimit();
  }

  /** The in-heap tier of one cache. */
  interface L1 {

    /** The most entries this instance keeps, loads in flight included. Default 10000. */
    OptionalLong maximumSize();

    /** How long a value stays in L1 after it was stored (before jitter). Default 5m. */
    Optional<Duration> expireAfterWrite();

    /** The fraction by which L1 expiry is randomly shortened, in [0, 1). Default 0.1. */
    OptionalDouble ttlJitter();

    /** The hard cap on any L1 entry's age, stale-served ones included. Default 10m. */
    Optional<Duration> maxAge();
  }

  /** The shared Redis tier of one cache. */
  interface L2 {

    /** Whether the cache uses Redis when one is configured; false keeps it in this instance only. Default true. */
    Optional<Boolean> enabled();

    /** How long a value stays in Redis (before jitter). Default 1h. */
    Optional<Duration> ttl();

    /** The fraction by which Redis expiry is randomly shortened, in [0, 1). Default 0.1. */
    OptionalDouble ttlJitter();
  }

  /** Stampede, breakdown and outage protection of one cache. */
  interface Protection {

    /**
     * Whether the cached method runs on the calling thread, keeping its request context. True by default; false
     * runs it on the cache's executor, so a method that hangs is abandoned after load-timeout.
     */
    Optional<Boolean> loadOnCallerThread();

    /**
     * Whether one load per key runs across all instances (through a Redis lease). Default false (one load per
     * instance).
     */
    Optional<Boolean> distributedSingleFlight();

    /**
     * How long past its L1 expiry an entry may still be served while one refresh runs in the background; 0 (the
     * default) turns it off.
     */
    Optional<Duration> staleWhileRevalidate();

    /** How long past its L1 expiry an entry may be served when loading a fresh value fails; 0 (default) off. */
    Optional<Duration> staleIfError();

    /** The XFetch beta of probabilistic early refresh (with stale-while-revalidate on); 0 (default) off. */
    OptionalDouble earlyRefreshBeta();

    /** How many hot keys each instance tracks and reports; 0 (default) off. */
    OptionalInt hotKeys();

    /** The sliding window hot keys are counted over. */
    Optional<Duration> hotKeyWindow();

    /** The most loads per second of any one key on this instance; 0 (default) sets no limit. */
    OptionalInt missRateLimit();

    /**
     * How many loads that outlived load-timeout (abandoned, their loader still running) the cache tolerates; while
     * that many run, new loads fail at once instead of each holding one more thread. Within [0, 10000]. Default 16.
     */
    OptionalInt maxAbandonedLoads();
  }

  /** The Redis connection Lamina creates when the application has no RedissonClient bean. */
  interface Redis {

    /** Whether caches use Redis when it is available. */
    @WithDefault("true")
    boolean enabled();

    /**
     * The server, such as redis://127.0.0.1:6379 (rediss:// for TLS). For a Cluster set cluster.nodes, for
     * Sentinel sentinel.master and sentinel.nodes; one way only. Without any of them, a config file or a
     * RedissonClient bean, caches are local to each instance.
     */
    Optional<String> address();

    /** A Redis Cluster; excludes address, config and sentinel. */
    RedisCluster cluster();

    /** A master watched by Redis Sentinel; excludes address, config and cluster. */
    RedisSentinel sentinel();

    /** A Redisson YAML configuration file (any topology), on the file system or the classpath; excludes address. */
    Optional<String> config();

    /** The user name (Redis 6 ACL). */
    Optional<String> username();

    /** The password. */
    Optional<String> password();

    /** The database index. */
    @WithDefault("0")
    int database();

    /** The longest a connection attempt may take. */
    @WithDefault("2s")
    Duration connectTimeout();

    /** The longest Redisson waits for a command's reply. */
    @WithDefault("1s")
    Duration timeout();

    /**
     * Whether the application must not start without Redis. When false, it starts and caches follow
     * remote-failure-mode until Redis can be reached.
     */
    @WithDefault("true")
    boolean required();
  }

  /** A Redis Cluster. */
  interface RedisCluster {

    /**
     * Seed nodes, such as redis://10.0.0.1:6379 (rediss:// for TLS, the same scheme for all); the client learns the
     * other members and follows failovers and slot moves itself.
     */
    Optional<List<String>> nodes();
  }

  /** A master watched by Redis Sentinel. */
  interface RedisSentinel {

    /** The name the sentinels monitor the master under. */
    Optional<String> master();

    /** The sentinels, such as redis://10.0.0.1:26379 (rediss:// for TLS, the same scheme for all). */
    Optional<List<String>> nodes();

    /** The user name for the sentinels themselves, when they require one (the data nodes use username). */
    Optional<String> username();

    /** The password for the sentinels themselves, when they require one (the data nodes use password). */
    Optional<String> password();
  }

  /** The invalidation bus. */
  interface Bus {

    /** The transport: none, nats or redis. Default redis when caches use Redis, none otherwise. */
    Optional<BusType> type();

    /** How often an instance announces itself and its last sequence. Default 100ms. */
    Optional<Duration> heartbeatInterval();

    /**
     * How long an instance may go without hearing itself or a live peer before it stops trusting its L1: the
     * bound on staleness after a fault. At least twice heartbeat-interval, at most 1m. Default 2s.
     */
    Optional<Duration> detectionTime();

    /** The most invalidations of one cache sent in one message. */
    OptionalInt batchSize();

    /** How long the first invalidation of a batch waits for company before it is sent. */
    Optional<Duration> batchDelay();

    /**
     * The staleness bound B: an instance serves an L1 entry older than this only while it can prove it has applied
     * every invalidation of every write completed more than B ago; otherwise it reads such entries from L2. At
     * least twice heartbeat-interval. Default five heartbeat intervals (500ms).
     */
    Optional<Duration> stalenessBound();

    /**
     * Shared secrets (base64, at least 32 bytes each) that authenticate bus messages with HMAC-SHA256: messages are
     * signed with the first and accepted under any; two while rotating. Unset: messages are not authenticated, so
     * anyone who can publish on the channel is heard (see docs/security.md).
     */
    Optional<List<String>> authKeys();

    /** The NATS connection Lamina creates when the application has no io.nats.client.Connection bean. */
    Nats nats();
  }

  /** Core NATS. */
  interface Nats {

    /**
     * The server, such as nats://127.0.0.1:4222 (tls:// for TLS with the JDK's trust). Credentials may be given in
     * the URL, but then no other way to authenticate may be set; logs and health data show it without them.
     */
    @WithDefault("nats://127.0.0.1:4222")
    String url();

    /**
     * Whether the application must not start without NATS. When false, it starts and connects in the background:
     * until connected every cache is degraded (it reads Redis and serves no L1 entry), and it trusts its L1 again
     * once it has heard the cluster. Not used with an io.nats.client.Connection bean, which the application opens.
     */
    @WithDefault("true")
    boolean required();

    /** A NATS credentials file (user JWT and nkey seed, as nsc writes it). Excludes the other ways to authenticate. */
    Optional<String> credentialsFile();

    /** A file holding the nkey seed (SU...) of a user the server lists by public nkey. */
    Optional<String> nkeySeedFile();

    /** An authorization token. */
    Optional<String> token();

    /** The user name; needs password. */
    Optional<String> username();

    /** The password of username. */
    Optional<String> password();

    /** TLS to the server. */
    Tls tls();

    /**
     * Whether invalidations go through a JetStream stream, so an instance that was cut off replays what it
     * missed instead of flushing its L1 (needs a server with JetStream enabled).
     */
    @WithDefault("false")
    boolean jetstream();

    /** How long the JetStream stream keeps invalidations. */
    @WithDefault("10m")
    Duration retention();

    /** The most the JetStream stream keeps; past it the oldest invalidations go and a node that needed them flushes. */
    @WithDefault("256M")
    MemorySize maxBytes();
  }

  /** TLS to NATS: the JDK's default trust with enabled=true, or a trust store (and a key store for client certificates). */
  interface Tls {

    /** Whether to use TLS with the JDK's default trust; implied by trust-store or key-store. */
    @WithDefault("false")
    boolean enabled();

    /** A trust store file holding the certificates that sign the server's. */
    Optional<String> trustStore();

    /** The trust store's password. */
    Optional<String> trustStorePassword();

    /** The trust store's type. */
    @WithDefault("PKCS12")
    String trustStoreType();

    /** A key store file with this client's certificate and key, for servers that verify clients. */
    Optional<String> keyStore();

    /** The key store's password (also the key's). */
    Optional<String> keyStorePassword();

    /** The key store's type. */
    @WithDefault("PKCS12")
    String keyStoreType();
  }
}
