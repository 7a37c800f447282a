package io.lamina;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * The immutable tunables of one cache: sizes, times to live, timeouts, strategy, limits.
 *
 * <p>Create one with {@link #custom()} (or {@link #from(TieredCacheConfig)} to derive from shared defaults);
 * every setter checks its value at once and {@link Builder#build()} checks the values against each other, so a
 * bad configuration fails at start-up with an {@link InvalidSettingException} naming the setting and the value.
 * {@link InvalidSettingException#setting()} is the setter's name, with the tier's prefix as a group:
 * {@code l1.maximumSize} for {@link Builder#l1MaximumSize(long)}, {@code l2.ttl}, {@code negativeTtl},
 * {@code protection.hotKeys}.
 *
 * <p>Wiring (tiers, codecs, loader, writer) is not configuration: it goes to {@link TieredCacheBuilder}.
 *
 * <p>Past 400 lines because it is one value with 21 settings (and the nested protection and write-behind values),
 * each with its getter, its checked setter and its javadoc; the cross-setting checks live in {@link Builder#build()}
 * beside them, where a reader of one setting finds its rules.
 */
public final class TieredCacheConfig {

  public static final String DEFAULT_NAMESPACE = "lamina";
  public static final int DEFAULT_SCHEMA_VERSION = 1;
  public static final long DEFAULT_L1_MAXIMUM_SIZE = 10_000;
  /**
   * The longest duration any setting takes: every time Lamina derives from a setting (twice a timeout, a deadline
   * from now) stays far from overflowing a {@code long} of nanoseconds.
   */
  public static final Duration MAX_DURATION = Duration.ofDays(365);

  public static final Duration DEFAULT_L1_EXPIRE_AFTER_WRITE = Duration.ofMinutes(5);
  public static final Duration DEFAULT_L1_MAX_AGE = Duration.ofMinutes(10);
  public static final double DEFAULT_TTL_JITTER = 0.1;
  public static final Duration DEFAULT_L2_TTL = Duration.ofHours(1);
  public static final Duration DEFAULT_NEGATIVE_TTL = Duration.ofSeconds(30);
  public static final Duration DEFAULT_TOMBSTONE_TTL = Duration.ofMinutes(10);
  public static final Duration DEFAULT_LOAD_TIMEOUT = Duration.ofSeconds(10);
  public static final Duration DEFAULT_REMOTE_TIMEOUT = Duration.ofSeconds(1);
  public static final Duration DEFAULT_WRITE_TIMEOUT = Duration.ofSeconds(10);
  public static final int DEFAULT_MAX_KEY_BYTES = 16 * 1024;
  public static final int DEFAULT_MAX_VALUE_BYTES = 1024 * 1024;

  /** Namespace and cache names: they become part of every remote key, so no separators or pattern characters. */
  static final Pattern NAME = Pattern.compile("[A-Za-z0-9._-]{1,128}");

  private static final TieredCacheConfig DEFAULTS = custom().build();

  private final String namespace;
  private final int schemaVersion;
  private final List<Integer> previousSchemaVersions;
  private final long l1MaximumSize;
  private final Duration l1ExpireAfterWrite;
  private final double l1TtlJitter;
  private final Duration l1MaxAge;
  private final Duration l2Ttl;
  private final double l2TtlJitter;
  private final Duration negativeTtl;
  private final Duration tombstoneTtl;
  private final Duration loadTimeout;
  private final Duration remoteTimeout;
  private final Duration writeTimeout;
  private final WriteStrategy writeStrategy;
  private final RemoteFailureMode remoteFailureMode;
  private final int maxKeyBytes;
  private final int maxValueBytes;
  private final WriteBehindConfig writeBehind;
  private final Duration degradedMaxAge;
  private final ProtectionConfig protection;

  private TieredCacheConfig(Builder b) {
    namespace = b.namespace;
    schemaVersion = b.schemaVersion;
    previousSchemaVersions = List.copyOf(b.previousSchemaVersions);
    l1MaximumSize = b.l1MaximumSize;
    l1ExpireAfterWrite = b.l1ExpireAfterWrite;
    l1TtlJitter = b.l1TtlJitter;
    l1MaxAge = b.l1MaxAge;
    l2Ttl = b.l2Ttl;
    l2TtlJitter = b.l2TtlJitter;
    negativeTtl = b.negativeTtl;
    tombstoneTtl = b.tombstoneTtl;
    loadTimeout = b.loadTimeout;
    remoteTimeout = b.remoteTimeout;
    writeTimeout = b.writeTimeout;
    writeStrategy = b.writeStrategy;
    remoteFailureMode = b.remoteFailureMode;
    maxKeyBytes = b.maxKeyBytes;
    maxValueBytes = b.maxValueBytes;
    writeBehind = b.writeBehind;
    degradedMaxAge = b.degradedMaxAge;
    protection = b.protection;
  }

  /** The defaults: every {@code DEFAULT_*} constant. */
  public static TieredCacheConfig ofDefaults() {
    return DEFAULTS;
  }

  /** A builder starting from the defaults. */
  public static Builder custom() {
    return new Builder();
  }

  /** A builder starting from {@code base}. */
  public static Builder from(TieredCacheConfig base) {
    return new Builder(base);
  }

  /** The service's namespace, first part of every remote key and of the invalidation channel. */
  public String namespace() { return namespace; }

  /** The schema version values are written under; bump it when the value's encoding changes incompatibly. */
  public int schemaVersion() { return schemaVersion; }

  /** Older schema versions still in service during a rolling deploy: writes tombstone them too. */
  public List<Integer> previousSchemaVersions() { return previousSchemaVersions; }

  /** The most entries (loads in flight included) the local tier holds. */
  public long l1MaximumSize() { return l1MaximumSize; }

  /** How long a value stays in the local tier after it was stored there (before jitter). */
  public Duration l1ExpireAfterWrite() { return l1ExpireAfterWrite; }

  /** The fraction by which local expiry is randomly shortened, in [0, 1). */
  public double l1TtlJitter() { return l1TtlJitter; }

  /** The hard cap on any local entry's age, counted from the start of the load that produced it. */
  public Duration l1MaxAge() { return l1MaxAge; }

  /** How long a value stays in the remote tier (before jitter). */
  public Duration l2Ttl() { return l2Ttl; }

  /** The fraction by which remote expiry is randomly shortened, in [0, 1). */
  public double l2TtlJitter() { return l2TtlJitter; }

  /** How long a negative result (the loader returned null) is cached, in both tiers. */
  public Duration negativeTtl() { return negativeTtl; }

  /** How long the remote tier keeps a tombstone. */
  public Duration tombstoneTtl() { return tombstoneTtl; }

  /** The longest a load may take: the remote lease's lifetime and the longest a caller waits for another's load. */
  public Duration loadTimeout() { return loadTimeout; }

  /** The longest a call waits for the remote tier before it counts as unavailable. */
  public Duration remoteTimeout() { return remoteTimeout; }

  /** The longest a write-through writer may take: the lifetime of its intent (W). */
  public Duration writeTimeout() { return writeTimeout; }

  public WriteStrategy writeStrategy() { return writeStrategy; }

  public RemoteFailureMode remoteFailureMode() { return remoteFailureMode; }

  /** The longest canonical key id accepted, in UTF-8 bytes. */
  public int maxKeyBytes() { return maxKeyBytes; }

  /** The largest encoded value accepted for the remote tier, in bytes. */
  public int maxValueBytes() { return maxValueBytes; }

  public WriteBehindConfig writeBehind() { return writeBehind; }

  /**
   * While the node does not trust its L1 (the bus cannot prove it hears every write), L1 entries younger than
   * this are still served (δ); zero, the default, bypasses L1 entirely. At most the bus's detection time.
   */
  public Duration degradedMaxAge() { return degradedMaxAge; }

  /** Stampede, breakdown and outage protection. */
  public ProtectionConfig protection() { return protection; }

  @Override
  public String toString() {
    return "TieredCacheConfig{namespace=" + namespace + ", schemaVersion=" + schemaVersion
        + ", previousSchemaVersions=" + previousSchemaVersions + ", l1MaximumSize=" + l1MaximumSize
        + ", l1ExpireAfterWrite=" + l1ExpireAfterWrite + ", l1TtlJitter=" + l1TtlJitter + ", l1MaxAge=" + l1MaxAge
        + ", l2Ttl=" + l2Ttl + ", l2TtlJitter=" + l2TtlJitter + ", negativeTtl=" + negativeTtl
        + ", tombstoneTtl=" + tombstoneTtl + ", loadTimeout=" + loadTimeout + ", remoteTimeout=" + remoteTimeout
        + ", writeTimeout=" + writeTimeout + ", writeStrategy=" + writeStrategy
        + ", remoteFailureMode=" + remoteFailureMode + ", maxKeyBytes=" + maxKeyBytes
        + ", maxValueBytes=" + maxValueBytes + ", writeBehind=" + writeBehind + ", degradedMaxAge="
        + degradedMaxAge + ", protection=" + protection + '}';
  }

  /** Builds a {@link TieredCacheConfig}; each setter rejects a bad value with an {@link InvalidSettingException}. */
  public static final class Builder {
    private String namespace = DEFAULT_NAMESPACE;
    private int schemaVersion = DEFAULT_SCHEMA_VERSION;
    private List<Integer> previousSchemaVersions = List.of();
    private long l1MaximumSize = DEFAULT_L1_MAXIMUM_SIZE;
    private Duration l1ExpireAfterWrite = DEFAULT_L1_EXPIRE_AFTER_WRITE;
    private double l1TtlJitter = DEFAULT_TTL_JITTER;
    private Duration l1MaxAge = DEFAULT_L1_MAX_AGE;
    private Duration l2Ttl = DEFAULT_L2_TTL;
    private double l2TtlJitter = DEFAULT_TTL_JITTER;
    private Duration negativeTtl = DEFAULT_NEGATIVE_TTL;
    private Duration tombstoneTtl = DEFAULT_TOMBSTONE_TTL;
    private Duration loadTimeout = DEFAULT_LOAD_TIMEOUT;
    private Duration remoteTimeout = DEFAULT_REMOTE_TIMEOUT;
    private Duration writeTimeout = DEFAULT_WRITE_TIMEOUT;
    private WriteStrategy writeStrategy = WriteStrategy.CACHE_ASIDE;
    private RemoteFailureMode remoteFailureMode = RemoteFailureMode.BYPASS;
    private int maxKeyBytes = DEFAULT_MAX_KEY_BYTES;
    private int maxValueBytes = DEFAULT_MAX_VALUE_BYTES;
    private WriteBehindConfig writeBehind = WriteBehindConfig.ofDefaults();
    private Duration degradedMaxAge = Duration.ZERO;
    private ProtectionConfig protection = ProtectionConfig.ofDefaults();

    private Builder() {}

    private Builder(TieredCacheConfig base) {
      namespace = base.namespace;
      schemaVersion = base.schemaVersion;
      previousSchemaVersions = base.previousSchemaVersions;
      l1MaximumSize = base.l1MaximumSize;
      l1ExpireAfterWrite = base.l1ExpireAfterWrite;
      l1TtlJitter = base.l1TtlJitter;
      l1MaxAge = base.l1MaxAge;
      l2Ttl = base.l2Ttl;
      l2TtlJitter = base.l2TtlJitter;
      negativeTtl = base.negativeTtl;
      tombstoneTtl = base.tombstoneTtl;
      loadTimeout = base.loadTimeout;
      remoteTimeout = base.remoteTimeout;
      writeTimeout = base.writeTimeout;
      writeStrategy = base.writeStrategy;
      remoteFailureMode = base.remoteFailureMode;
      maxKeyBytes = base.maxKeyBytes;
      maxValueBytes = base.maxValueBytes;
      writeBehind = base.writeBehind;
      degradedMaxAge = base.degradedMaxAge;
      protection = base.protection;
    }

    public Builder namespace(String namespace) {
      this.namespace = checkName("namespace", namespace);
      return this;
    }

    public Builder schemaVersion(int schemaVersion) {
      this.schemaVersion = checkPositive("schemaVersion", schemaVersion);
      return this;
    }

    public Builder previousSchemaVersions(List<Integer> versions) {
      List<Integer> copy = new ArrayList<>();
      for (Integer v : Objects.requireNonNull(versions, "previousSchemaVersions")) {
        copy.add(checkPositive("previousSchemaVersions", Objects.requireNonNull(v, "previousSchemaVersions entry")));
      }
      this.previousSchemaVersions = copy;
      return this;
    }

    public Builder l1MaximumSize(long size) {
      this.l1MaximumSize = checkPositive("l1.maximumSize", size);
      return this;
    }

    public Builder l1ExpireAfterWrite(Duration ttl) {
      this.l1ExpireAfterWrite = checkPositive("l1.expireAfterWrite", ttl);
      return this;
    }

    public Builder l1TtlJitter(double jitter) {
      this.l1TtlJitter = checkJitter("l1.ttlJitter", jitter);
      return this;
    }

    public Builder l1MaxAge(Duration maxAge) {
      this.l1MaxAge = checkPositive("l1.maxAge", maxAge);
      return this;
    }

    public Builder l2Ttl(Duration ttl) {
      this.l2Ttl = checkPositive("l2.ttl", ttl);
      return this;
    }

    public Builder l2TtlJitter(double jitter) {
      this.l2TtlJitter = checkJitter("l2.ttlJitter", jitter);
      return this;
    }

    public Builder negativeTtl(Duration ttl) {
      this.negativeTtl = checkPositive("negativeTtl", ttl);
      return this;
    }

    public Builder tombstoneTtl(Duration ttl) {
      this.tombstoneTtl = checkPositive("tombstoneTtl", ttl);
      return this;
    }

    public Builder loadTimeout(Duration timeout) {
      this.loadTimeout = checkPositive("loadTimeout", timeout);
      return this;
    }

    public Builder remoteTimeout(Duration timeout) {
      this.remoteTimeout = checkPositive("remoteTimeout", timeout);
      return this;
    }

    public Builder writeTimeout(Duration timeout) {
      this.writeTimeout = checkPositive("writeTimeout", timeout);
      return this;
    }

    public Builder writeStrategy(WriteStrategy strategy) {
      this.writeStrategy = Objects.requireNonNull(strategy, "writeStrategy");
      return this;
    }

    public Builder remoteFailureMode(RemoteFailureMode mode) {
      this.remoteFailureMode = Objects.requireNonNull(mode, "remoteFailureMode");
      return this;
    }

    public Builder maxKeyBytes(int bytes) {
      this.maxKeyBytes = checkPositive("maxKeyBytes", bytes);
      return this;
    }

    public Builder maxValueBytes(int bytes) {
      this.maxValueBytes = checkPositive("maxValueBytes", bytes);
      return this;
    }

    public Builder degradedMaxAge(Duration maxAge) {
      Objects.requireNonNull(maxAge, "degradedMaxAge");
      if (maxAge.isNegative()) {
        throw new InvalidSettingException("degradedMaxAge", maxAge, "must not be negative");
      }
      this.degradedMaxAge = checkAtMostMax("degradedMaxAge", maxAge);
      return this;
    }

    public Builder protection(ProtectionConfig config) {
      this.protection = Objects.requireNonNull(config, "protection");
      return this;
    }

    public Builder writeBehind(WriteBehindConfig config) {
      this.writeBehind = Objects.requireNonNull(config, "writeBehind");
      return this;
    }

    /**
     * Checks the values against each other and builds the configuration.
     *
     * @throws InvalidSettingException naming the settings that conflict
     */
    public TieredCacheConfig build() {
      if (l1ExpireAfterWrite.compareTo(l1MaxAge) > 0) {
        throw new InvalidSettingException("l1.expireAfterWrite", l1ExpireAfterWrite,
            "must not exceed {0} (" + l1MaxAge + "), the hard cap on a local entry's age", "l1.maxAge");
      }
      if (previousSchemaVersions.contains(schemaVersion)) {
        throw new InvalidSettingException("previousSchemaVersions", previousSchemaVersions,
            "must not contain the current {0} (" + schemaVersion + ")", "schemaVersion");
      }
      return new TieredCacheConfig(this);
    }
  }

  static String checkName(String setting, String name) {
    Objects.requireNonNull(name, setting);
    if (!NAME.matcher(name).matches()) {
      throw new InvalidSettingException(setting, name, "must be 1-128 characters of [A-Za-z0-9._-] (it becomes"
          + " part of every remote key)");
    }
    return name;
  }

  static Duration checkPositive(String setting, Duration d) {
    Objects.requireNonNull(d, setting);
    if (d.isNegative() || d.isZero()) {
      throw new InvalidSettingException(setting, d, "must be positive");
    }
    return checkAtMostMax(setting, d);
  }

  static Duration checkAtMostMax(String setting, Duration d) {
    if (d.compareTo(MAX_DURATION) > 0) {
      throw new InvalidSettingException(setting, d, "must be at most " + MAX_DURATION.toDays() + " days ("
          + MAX_DURATION + ")");
    }
    return d;
  }

  static long checkPositive(String setting, long n) {
    if (n <= 0) {
      throw new InvalidSettingException(setting, n, "must be positive");
    }
    return n;
  }

  static int checkPositive(String setting, int n) {
    if (n <= 0) {
      throw new InvalidSettingException(setting, n, "must be positive");
    }
    return n;
  }

  static double checkJitter(String setting, double jitter) {
    if (!(jitter >= 0 && jitter < 1)) {
      throw new InvalidSettingException(setting, jitter, "must be in [0, 1)");
    }
    return jitter;
  }
}
