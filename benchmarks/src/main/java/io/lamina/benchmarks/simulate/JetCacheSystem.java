package io.lamina.benchmarks.simulate;

import com.alicp.jetcache.Cache;
import com.alicp.jetcache.CacheBuilder;
import com.alicp.jetcache.MultiLevelCache;
import com.alicp.jetcache.ProxyCache;
import com.alicp.jetcache.SimpleCacheManager;
import com.alicp.jetcache.anno.CacheType;
import com.alicp.jetcache.embedded.CaffeineCacheBuilder;
import com.alicp.jetcache.redisson.RedissonCacheBuilder;
import com.alicp.jetcache.support.BroadcastManager;
import com.alicp.jetcache.support.JavaValueDecoder;
import com.alicp.jetcache.support.JavaValueEncoder;
import com.alicp.jetcache.template.CacheBuilderTemplate;
import com.alicp.jetcache.template.NotifyMonitorInstaller;
import com.alicp.jetcache.template.QuickConfig;
import io.lamina.TieredCacheConfig;
import io.lamina.benchmarks.Product;
import io.lamina.benchmarks.Servers;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * JetCache's two-level cache (Caffeine and Redisson) with {@code syncLocal}: a put or remove on one node is
 * broadcast over Redis Pub/Sub and clears the others' local copies. Built without Spring, the way its
 * {@code SimpleCacheManager} and {@code QuickConfig} are meant to be used; values through JetCache's default Java
 * serialization.
 */
final class JetCacheSystem implements SimSystem {

  private static final String AREA = "default";

  private final SourceOfTruth source;
  private final List<SimpleCacheManager> managers = new ArrayList<>();
  private final List<Cache<Long, Product>> caches = new ArrayList<>();
  private final List<Cache<Long, Product>> locals = new ArrayList<>();

  @SuppressWarnings("unchecked")
  JetCacheSystem(Servers servers, SourceOfTruth source) {
    this.source = source;
    for (int i = 0; i < Systems.NODES; i++) {
      SimpleCacheManager manager = new SimpleCacheManager();
      CacheBuilder local = CaffeineCacheBuilder.createCaffeineCacheBuilder()
          .limit((int) TieredCacheConfig.DEFAULT_L1_MAXIMUM_SIZE).keyConvertor(k -> k);
      RedissonCacheBuilder<?> remote = RedissonCacheBuilder.createBuilder().redissonClient(servers.redisson())
          .keyConvertor(String::valueOf).valueEncoder(JavaValueEncoder.INSTANCE)
          .valueDecoder(JavaValueDecoder.INSTANCE).broadcastChannel("jetcache-sim");
      CacheBuilderTemplate template = new CacheBuilderTemplate(false, Map.of(AREA, local), Map.of(AREA, remote));
      template.getCacheMonitorInstallers().add(new NotifyMonitorInstaller(area -> remote));
      manager.setCacheBuilderTemplate(template);
      BroadcastManager broadcast = remote.createBroadcastManager(manager);
      broadcast.startSubscribe();
      manager.putBroadcastManager(AREA, broadcast);
      Cache<Long, Product> cache = manager.getOrCreateCache(QuickConfig.newBuilder("sim")
          .cacheType(CacheType.BOTH).syncLocal(true).expire(Systems.L2_TTL)
          .localExpire(TieredCacheConfig.DEFAULT_L1_EXPIRE_AFTER_WRITE)
          .localLimit((int) TieredCacheConfig.DEFAULT_L1_MAXIMUM_SIZE).build());
      Cache<Long, Product> target = cache;
      while (target instanceof ProxyCache<Long, Product> p) {
        target = p.getTargetCache();
      }
      if (!(target instanceof MultiLevelCache<Long, Product> multi)) {
        throw new IllegalStateException("JetCache built no two-level cache: " + target.getClass().getName());
      }
      managers.add(manager);
      caches.add(cache);
      locals.add((Cache<Long, Product>) multi.caches()[0]);
    }
  }

  @Override
  public String name() {
    return "JetCache (syncLocal)";
  }

  @Override
  public Read read(int node, long key) {
    boolean local = locals.get(node).GET(key).isSuccess(); // approximate: the entry may go in between
    Product p = caches.get(node).get(key);
    if (p != null) {
      return new Read(p, local ? Tier.L1 : Tier.L2);
    }
    p = source.read(key);
    caches.get(node).put(key, p);
    return new Read(p, Tier.SOURCE);
  }

  @Override
  public void invalidate(int node, long key) {
    caches.get(node).remove(key);
  }

  @Override
  public void put(int node, Product value) {
    caches.get(node).put(value.id(), value);
  }

  @Override
  public void close() {
    managers.forEach(SimpleCacheManager::close);
  }
}
