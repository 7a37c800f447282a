package io.lamina.spring;

import io.lamina.TieredCache;
import java.util.Collection;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import org.jspecify.annotations.Nullable;
import org.springframework.cache.Cache;
import org.springframework.cache.CacheManager;

/**
 * A Spring {@link CacheManager} over {@link LaminaCaches}: one {@link LaminaCache} per cache name, built on first
 * use when dynamic creation is on ({@code lamina.dynamic-caches}); {@link #getCache} returns null for an unknown
 * name otherwise, which Spring reports as a missing cache.
 *
 * <p>When transaction awareness is on, the caches it hands out are decorated so that puts and evictions inside
 * a Spring-managed transaction run after its commit.
 */
public final class LaminaCacheManager implements CacheManager {

  private final LaminaCaches caches;
  private final Function<String, PutMode> putModes;
  private final CacheKeyConverter keys;
  private final UnaryOperator<Cache> decorator;
  private final Map<String, Views> views = new ConcurrentHashMap<>();

  private record Views(Cache write, Cache fill) {}

  /**
   * A manager over {@code caches}.
   *
   * @param putModes what {@code put} does, per cache name
   * @param keys turns Spring keys into ids
   * @param decorator applied to every cache handed out (such as Spring's transaction-aware decorator), or the
   *     identity
   */
  public LaminaCacheManager(LaminaCaches caches, Function<String, PutMode> putModes, CacheKeyConverter keys,
      UnaryOperator<Cache> decorator) {
    this.caches = Objects.requireNonNull(caches, "caches");
    this.putModes = Objects.requireNonNull(putModes, "putModes");
    this.keys = Objects.requireNonNull(keys, "keys");
    this.decorator = Objects.requireNonNull(decorator, "decorator");
  }

  @Override
  public @Nullable Cache getCache(String name) {
    Views v = views(name);
    return v == null ? null : v.write();
  }

  /**
   * The view of cache {@code name} whose {@code put} fills instead of writing: what {@code @Cacheable} gets
   * through {@link LaminaCacheResolver}. Null when {@link #getCache} would be.
   */
  public @Nullable Cache getFillCache(String name) {
    Views v = views(name);
    return v == null ? null : v.fill();
  }

  private @Nullable Views views(String name) {
    Views v = views.get(name);
    if (v != null) {
      return v;
    }
    TieredCache<String, Object> cache = caches.getOrCreate(name);
    if (cache == null) {
      return null;
    }
    return views.computeIfAbsent(name, n -> {
      LaminaCache write = new LaminaCache(cache, keys, putModes.apply(n));
      return new Views(decorator.apply(write), decorator.apply(write.fillView()));
    });
  }

  /** The names of the caches built so far. */
  @Override
  public Collection<String> getCacheNames() {
    return caches.names();
  }

  /** The registry underneath. */
  public LaminaCaches caches() {
    return caches;
  }
}
