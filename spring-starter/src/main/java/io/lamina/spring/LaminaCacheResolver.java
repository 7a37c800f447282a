package io.lamina.spring;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import org.springframework.cache.Cache;
import org.springframework.cache.CacheManager;
import org.springframework.cache.interceptor.CacheOperationInvocationContext;
import org.springframework.cache.interceptor.CacheResolver;
import org.springframework.cache.interceptor.CacheableOperation;

/**
 * Resolves the caches of each cache operation like Spring's default resolver, except that {@code @Cacheable}
 * operations get the <em>fill view</em> of a Lamina cache ({@link LaminaCacheManager#getFillCache}): Spring
 * stores a {@code @Cacheable} miss's result with the same {@code put} as a {@code @CachePut}, and Lamina must
 * tell a load (fill, no broadcast) from a write (invalidate everywhere).
 *
 * <p>The starter installs it through a {@code CachingConfigurer} unless the application has its own; then return
 * one from your configurer's {@code cacheResolver()} to keep the distinction.
 */
public final class LaminaCacheResolver implements CacheResolver {

  private final CacheManager cacheManager;

  /** A resolver over {@code cacheManager} (Lamina's or any other, whose caches are returned as they are). */
  public LaminaCacheResolver(CacheManager cacheManager) {
    this.cacheManager = Objects.requireNonNull(cacheManager, "cacheManager");
  }

  @Override
  public Collection<? extends Cache> resolveCaches(CacheOperationInvocationContext<?> context) {
    boolean fill = context.getOperation() instanceof CacheableOperation;
    Collection<String> names = context.getOperation().getCacheNames();
    List<Cache> result = new ArrayList<>(names.size());
    for (String name : names) {
      Cache cache = fill && cacheManager instanceof LaminaCacheManager lamina
          ? lamina.getFillCache(name)
          : cacheManager.getCache(name);
      if (cache == null) {
        throw new IllegalArgumentException("Cannot find cache named '" + name + "' for " + context.getOperation()
            + (cacheManager instanceof LaminaCacheManager ? " (lamina.dynamic-caches is off and it is not"
            + " configured under lamina.caches)" : ""));
      }
      result.add(cache);
    }
    return result;
  }
}
