package io.lamina.quarkus.runtime;

import io.quarkus.arc.Arc;
import io.quarkus.cache.Cache;
import io.quarkus.cache.CacheManager;
import io.quarkus.cache.CacheManagerInfo;
import io.quarkus.cache.runtime.CacheManagerImpl;
import io.quarkus.runtime.annotations.Recorder;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/** Runtime wiring recorded by the extension's build steps. */
@Recorder
public class LaminaRecorder {

  /** The cache type name: {@code quarkus.cache.type=lamina}, or {@code quarkus.cache."name".type=lamina}. */
  public static final String CACHE_TYPE = "lamina";

  /**
   * Lamina as a backend of Quarkus' cache extension, for the caches whose type is {@code lamina}.
   *
   * @param valueTypes per cache name, the classes its {@code @CacheResult} methods return (found at build time)
   */
  public CacheManagerInfo cacheManagerInfo(Map<String, List<String>> valueTypes) {
    return new CacheManagerInfo() {
      @Override
      public boolean supports(Context context) {
        return context.cacheEnabled() && CACHE_TYPE.equals(context.cacheType());
      }

      @Override
      public Supplier<CacheManager> get(Context context) {
        return () -> {
          LaminaCaches caches = Arc.container().select(LaminaCaches.class).get();
          Map<String, Cache> built = new HashMap<>(caches.start(context.cacheNames(), valueTypes));
          return new CacheManagerImpl(built);
        };
      }
    };
  }
}
