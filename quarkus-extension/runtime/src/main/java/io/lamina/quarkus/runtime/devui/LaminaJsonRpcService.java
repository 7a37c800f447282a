package io.lamina.quarkus.runtime.devui;

import io.lamina.CoherenceStats;
import io.lamina.HotKey;
import io.lamina.TieredCacheStats;
import io.lamina.TieredCacheStats.TierStats;
import io.lamina.quarkus.LaminaCache;
import io.lamina.quarkus.runtime.LaminaCaches;
import io.lamina.quarkus.runtime.LaminaWarmups;
import io.lamina.warming.WarmupProgress;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * What the Dev UI card shows and does: every Lamina cache with its per-tier counters, the bus state and this
 * instance's hot keys; evicting one id or a whole cache on every instance; the progress of warm-ups and hot-key
 * refreshers. Ids are the canonical ids the cache uses (such as {@code l:42} for the key {@code 42L}; see
 * {@code LaminaCache.idOf}).
 */
public class LaminaJsonRpcService {

  private final LaminaCaches caches;
  private final LaminaWarmups warmups;

  @Inject
  public LaminaJsonRpcService(LaminaCaches caches, LaminaWarmups warmups) {
    this.caches = Objects.requireNonNull(caches, "caches");
    this.warmups = Objects.requireNonNull(warmups, "warmups");
  }

  /**
   * Every warm-up ({@code warming.enabled}): its state, keys done of total (from L2, loaded, absent, failed,
   * skipped), keys per second, seconds left (null before any progress), whether it holds readiness, the last
   * error; and every hot-key refresher with its rounds, refreshed keys and failures.
   */
  public Map<String, Object> getWarming() {
    Set<String> gating = warmups.gatingCaches();
    List<Map<String, Object>> list = new ArrayList<>();
    for (WarmupProgress p : warmups.progress().values()) {
      Map<String, Object> w = new LinkedHashMap<>();
      w.put("cache", p.cache());
      w.put("state", p.state().name());
      w.put("done", p.done());
      w.put("total", p.total());
      w.put("fraction", p.fraction());
      w.put("fromL2", p.fromL2());
      w.put("loaded", p.loaded());
      w.put("absent", p.absent());
      w.put("failed", p.failed());
      w.put("skipped", p.skipped());
      w.put("keysPerSecond", p.keysPerSecond());
      Duration left = p.timeLeft();
      w.put("secondsLeft", left == null ? null : left.toMillis() / 1000.0);
      w.put("holdsReadiness", gating.contains(p.cache()));
      w.put("lastError", p.lastError());
      w.put("summary", p.describe());
      list.add(w);
    }
    List<Map<String, Object>> refresh = new ArrayList<>();
    warmups.refreshers().forEach((name, r) -> refresh.add(Map.of("cache", name, "rounds", r.rounds(),
        "refreshed", r.refreshed(), "failures", r.failures())));
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("warmups", list);
    out.put("refreshers", refresh);
    out.put("readinessHeldBy", warmups.holding());
    return out;
  }

  /** Every cache: name, settings, {@code l1} and {@code l2} counters, loads, coherence and hot keys. */
  public List<Map<String, Object>> getCaches() {
    List<Map<String, Object>> out = new ArrayList<>();
    for (String name : caches.names()) {
      LaminaCache cache = caches.get(name);
      if (cache != null) {
        out.add(describe(cache));
      }
    }
    return out;
  }

  /** The bus in use ({@code none}, {@code nats}, {@code redis}) and whether every cache trusts its L1. */
  public Map<String, Object> getBus() {
    boolean trusted = true;
    for (String name : caches.names()) {
      LaminaCache cache = caches.get(name);
      trusted &= cache == null || cache.tiered().coherence().trusted();
    }
    String bus = caches.busName();
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("bus", bus == null ? "none" : bus);
    out.put("trusted", trusted);
    out.put("redis", caches.redisson() != null);
    return out;
  }

  /** Invalidates id {@code id} of cache {@code cache} on every instance. */
  public String evictKey(String cache, String id) {
    require(cache).tiered().invalidate(id);
    return "evicted " + id + " from " + cache + " on every instance";
  }

  /** Invalidates the whole cache {@code cache} on every instance. */
  public String evictCache(String cache) {
    require(cache).tiered().invalidateAll();
    return "evicted every entry of " + cache + " on every instance";
  }

  private LaminaCache require(String name) {
    LaminaCache cache = caches.get(name);
    if (cache == null) {
      throw new IllegalArgumentException("no Lamina cache named '" + name + "'; there are " + caches.names());
    }
    return cache;
  }

  private static Map<String, Object> describe(LaminaCache cache) {
    TieredCacheStats s = cache.tiered().stats();
    CoherenceStats c = cache.tiered().coherence();
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("name", cache.getName());
    out.put("l1", tier(s.l1()));
    out.put("l2", tier(s.l2()));
    out.put("loads", s.loads());
    out.put("loadFailures", s.loadFailures());
    out.put("trusted", c.trusted());
    out.put("gaps", c.gaps());
    out.put("flushes", c.flushes());
    out.put("invalidationsSent", c.invalidationsSent());
    out.put("invalidationsReceived", c.invalidationsReceived());
    List<Map<String, Object>> hot = new ArrayList<>();
    for (HotKey k : cache.tiered().hotKeys()) {
      hot.add(Map.of("id", k.id(), "count", k.count(), "share", k.share()));
    }
    out.put("hotKeys", hot);
    return out;
  }

  private static Map<String, Object> tier(TierStats t) {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("hits", t.hits());
    out.put("misses", t.misses());
    out.put("hitRate", t.hitRate());
    out.put("puts", t.puts());
    out.put("invalidations", t.invalidations());
    out.put("evictions", t.evictions());
    out.put("size", t.size());
    return out;
  }
}
