package io.lamina.spring.actuate;

import io.lamina.CoherenceStats;
import io.lamina.HotKey;
import io.lamina.Inspection;
import io.lamina.TieredCache;
import io.lamina.TieredCacheConfig;
import io.lamina.TieredCacheStats;
import io.lamina.spring.CacheKeyConverter;
import io.lamina.spring.LaminaCaches;
import io.lamina.spring.LaminaWarmups;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.actuate.endpoint.Access;
import org.springframework.boot.actuate.endpoint.annotation.DeleteOperation;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.Selector;

/**
 * The {@code lamina} endpoint ({@code /actuator/lamina} over HTTP):
 * <ul>
 *   <li>{@code GET /actuator/lamina}: every cache with its settings, per-tier counters, bus state and hot keys;
 *   <li>{@code GET /actuator/lamina/{cache}}: one cache;
 *   <li>{@code GET /actuator/lamina/{cache}/{key}}: what this instance holds for a key, as the cache's own
 *       {@link TieredCache#inspect} reports it ({@link Inspection}: the L1 entry's state, version, age and
 *       expiry; the Redis entry's state, version and remaining TTL), read without counting, filling or leasing;
 *   <li>{@code DELETE /actuator/lamina/{cache}/{key}}: evicts a key on every instance;
 *   <li>{@code DELETE /actuator/lamina/{cache}}: evicts the whole cache on every instance.
 * </ul>
 * The endpoint is read-only unless {@code management.endpoint.lamina.access=unrestricted}: an eviction on every
 * instance sends every reader of the cache to the source, so it is a write that must be opted into.
 * With start-up warming on ({@code lamina.caches.<name>.warming.enabled}), {@code GET /actuator/lamina} also shows
 * each warm-up's progress under {@code warming}: state, done / total, keys per second, time left, failures.
 * A {@code key} is the entry's id as {@code GET} and the hot keys show it, which carries the key's type
 * ({@code l:42} for the {@code Long} 42, {@code s:abc} for the string "abc", {@code [l:1,s:x]} for two
 * parameters; see {@link CacheKeyConverter#standard()}); text without a type tag is taken as a string key and
 * goes through the application's {@link CacheKeyConverter}, so {@code abc} works for a string key too.
 *
 * <p>Hot keys are shown by their ids only with {@code lamina.actuator.show-hot-key-ids=true}: ids may be tokens or
 * personal data. Otherwise each id is replaced by a stand-in, {@code hidden:} and 12 hex digits of an HMAC-SHA256
 * under a key drawn when the endpoint is built: stable while the application runs (a key that stays hot keeps
 * its stand-in), different on every instance and start, and not found again by hashing guessed ids.
 */
@Endpoint(id = "lamina", defaultAccess = Access.READ_ONLY)
public class LaminaEndpoint {

  private final LaminaCaches caches;
  private final CacheKeyConverter keys;
  private final @Nullable LaminaWarmups warmups;
  private final boolean showHotKeyIds;
  private final SecretKeySpec standInKey;

  /** An endpoint over {@code caches}; hot-key ids hidden. */
  public LaminaEndpoint(LaminaCaches caches, CacheKeyConverter keys) {
    this(caches, keys, null, false);
  }

  /** An endpoint over {@code caches} that also reports the progress of their start-up warm-ups; hot-key ids hidden. */
  public LaminaEndpoint(LaminaCaches caches, CacheKeyConverter keys, @Nullable LaminaWarmups warmups) {
    this(caches, keys, warmups, false);
  }

  /**
   * An endpoint over {@code caches} that also reports the progress of their start-up warm-ups.
   *
   * @param showHotKeyIds whether hot keys are shown by their ids, else by stand-ins
   */
  public LaminaEndpoint(LaminaCaches caches, CacheKeyConverter keys, @Nullable LaminaWarmups warmups,
      boolean showHotKeyIds) {
    this.caches = Objects.requireNonNull(caches, "caches");
    this.keys = Objects.requireNonNull(keys, "keys");
    this.warmups = warmups;
    this.showHotKeyIds = showHotKeyIds;
    byte[] secret = new byte[32];
    new SecureRandom().nextBytes(secret);
    this.standInKey = new SecretKeySpec(secret, HMAC);
  }

  /** Typed ids as given; untagged text is a string key. */
  private String idOf(String key) {
    return TYPED_ID.matcher(key).lookingAt() ? key : keys.toId(key);
  }

  private static final Pattern TYPED_ID =
      Pattern.compile("[slihbdfzcuIDet]:|\\[|r:|L\\[");

  /** Every cache built so far. */
  @ReadOperation
  public Map<String, Object> caches() {
    Map<String, Object> all = new LinkedHashMap<>();
    for (String name : caches.names()) {
      TieredCache<String, Object> cache = caches.get(name);
      if (cache != null) {
        all.put(name, report(cache));
      }
    }
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("dynamicCaches", caches.isDynamic());
    body.put("caches", all);
    if (warmups != null && !warmups.caches().isEmpty()) {
      body.put("warming", WarmingReport.of(warmups));
    }
    return body;
  }

  /** One cache, or 404 when there is no such cache. */
  @ReadOperation
  public @Nullable CacheReport cache(@Selector String cache) {
    TieredCache<String, Object> c = caches.get(cache);
    return c == null ? null : report(c);
  }

  /** What this instance holds for {@code key} ({@link TieredCache#inspect}), or 404 when there is no such cache. */
  @ReadOperation
  public @Nullable Inspection key(@Selector String cache, @Selector String key) {
    TieredCache<String, Object> c = caches.get(cache);
    return c == null ? null : c.inspect(idOf(key));
  }

  /** Evicts {@code key} of {@code cache} on every instance; 404 when there is no such cache. */
  @DeleteOperation
  public @Nullable Map<String, Object> evictKey(@Selector String cache, @Selector String key) {
    TieredCache<String, Object> c = caches.get(cache);
    if (c == null) {
      return null;
    }
    String id = idOf(key);
    c.invalidate(id);
    return Map.of("cache", cache, "evicted", id);
  }

  /** Evicts every entry of {@code cache} on every instance; 404 when there is no such cache. */
  @DeleteOperation
  public @Nullable Map<String, Object> evictAll(@Selector String cache) {
    TieredCache<String, Object> c = caches.get(cache);
    if (c == null) {
      return null;
    }
    c.invalidateAll();
    return Map.of("cache", cache, "evicted", "*");
  }

  private CacheReport report(TieredCache<String, Object> cache) {
    TieredCacheConfig c = cache.config();
    Map<String, Object> settings = new LinkedHashMap<>();
    settings.put("namespace", c.namespace());
    settings.put("schemaVersion", c.schemaVersion());
    settings.put("writeStrategy", c.writeStrategy().name());
    settings.put("l1MaximumSize", c.l1MaximumSize());
    settings.put("l1ExpireAfterWrite", c.l1ExpireAfterWrite().toString());
    settings.put("l1MaxAge", c.l1MaxAge().toString());
    settings.put("l2Ttl", c.l2Ttl().toString());
    settings.put("l2TtlJitter", c.l2TtlJitter());
    settings.put("negativeTtl", c.negativeTtl().toString());
    settings.put("remoteFailureMode", c.remoteFailureMode().name());
    List<HotKey> hot = cache.hotKeys();
    if (!showHotKeyIds) {
      hot = hot.stream().map(k -> new HotKey(standIn(k.id()), k.count(), k.error(), k.share())).toList();
    }
    return new CacheReport(cache.name(), settings, cache.stats(), cache.coherence(), hot);
  }

  private static final String HMAC = "HmacSHA256";

  private String standIn(String id) {
    try {
      Mac mac = Mac.getInstance(HMAC);
      mac.init(standInKey);
      byte[] tag = mac.doFinal(id.getBytes(StandardCharsets.UTF_8));
      return "hidden:" + HexFormat.of().formatHex(tag, 0, 6);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
    }
  }

  /**
   * One cache as the endpoint shows it.
   *
   * @param name the cache's name
   * @param settings its main settings
   * @param stats its counters, per tier, since it was built
   * @param coherence this instance's bus state for the cache's namespace
   * @param hotKeys this instance's hottest keys, hottest first (empty unless protection.hot-keys is set), their
   *     ids replaced by stand-ins unless lamina.actuator.show-hot-key-ids is on
   */
  public record CacheReport(String name, Map<String, Object> settings, TieredCacheStats stats,
      CoherenceStats coherence, List<HotKey> hotKeys) {}
}
