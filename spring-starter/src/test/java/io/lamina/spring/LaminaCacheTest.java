package io.lamina.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lamina.KeyCodecs;
import io.lamina.TieredCache;
import io.lamina.caffeine.CaffeineLocalTier;
import java.io.IOException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.cache.Cache;

/** The adapter on a local-only cache: what each Spring operation does to Lamina. */
class LaminaCacheTest {

  private final TieredCache<String, Object> tiered = TieredCache.<String, Object>newBuilder("products")
      .keyCodec(KeyCodecs.strings())
      .local(CaffeineLocalTier.provider())
      .build();
  private final LaminaCache cache = new LaminaCache(tiered, CacheKeyConverter.standard(), PutMode.INVALIDATE);

  @AfterEach
  void close() {
    tiered.close();
  }

  @Test
  void get_withCallable_loadsOnceAndCachesNegativeResults() {
    AtomicInteger calls = new AtomicInteger();
    assertThat(cache.get(1L, () -> "v" + calls.incrementAndGet())).isEqualTo("v1");
    assertThat(cache.get(1L, () -> "v" + calls.incrementAndGet())).isEqualTo("v1");
    Object negative = cache.get(2L, () -> {
      calls.incrementAndGet();
      return null;
    });
    assertThat(negative).isNull();
    Object again = cache.get(2L, () -> "never");
    assertThat(again).as("negative result cached").isNull();
    assertThat(calls).hasValue(2);
  }

  @Test
  void get_withFailingCallable_throwsValueRetrievalExceptionWithTheCause() {
    IOException boom = new IOException("boom");
    assertThatThrownBy(() -> cache.get(1L, () -> {
      throw boom;
    })).isInstanceOf(Cache.ValueRetrievalException.class).hasCause(boom);
    assertThat(cache.get(1L)).as("nothing cached").isNull();
  }

  @Test
  void fillViewPut_storesTheValue_butWriteViewPutInvalidates() {
    cache.fillView().put("a", "loaded");
    assertThat(cache.get("a")).isNotNull().extracting(Cache.ValueWrapper::get).isEqualTo("loaded");

    cache.put("a", "written");
    assertThat(cache.get("a")).as("INVALIDATE: a write stores nothing without a source version").isNull();
  }

  @Test
  void fillViewPut_neverReplacesAPresentEntry() {
    cache.fillView().put("a", "first");
    cache.fillView().put("a", "second");
    assertThat(cache.get("a", String.class)).isEqualTo("first");
  }

  @Test
  void storeMode_putReplacesTheValue() {
    LaminaCache store = new LaminaCache(tiered, CacheKeyConverter.standard(), PutMode.STORE);
    store.fillView().put("a", "old");
    store.put("a", "new");
    assertThat(store.get("a", String.class)).isEqualTo("new");
  }

  @Test
  void evictAndClear_remove() {
    cache.fillView().put("a", "1");
    cache.fillView().put("b", "2");
    cache.evict("a");
    assertThat(cache.get("a")).isNull();
    assertThat(cache.get("b")).isNotNull();
    cache.clear();
    assertThat(cache.get("b")).isNull();
  }

  @Test
  void putIfAbsent_returnsThePresentValueOrNull() {
    assertThat(cache.putIfAbsent("a", "1")).isNull();
    assertThat(cache.putIfAbsent("a", "2")).extracting(Cache.ValueWrapper::get).isEqualTo("1");
  }

  @Test
  void get_withWrongType_failsNamingBothTypes() {
    cache.fillView().put("a", "text");
    assertThatThrownBy(() -> cache.get("a", Integer.class))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("java.lang.String").hasMessageContaining("java.lang.Integer");
  }

  @Test
  void retrieve_completesWithTheValueOrNull() throws Exception {
    assertThat(cache.retrieve("a").get(5, TimeUnit.SECONDS)).isNull();
    AtomicInteger calls = new AtomicInteger();
    CompletableFuture<String> loaded =
        cache.retrieve("a", () -> CompletableFuture.completedFuture("v" + calls.incrementAndGet()));
    assertThat(loaded.get(5, TimeUnit.SECONDS)).isEqualTo("v1");
    assertThat(cache.retrieve("a", () -> CompletableFuture.completedFuture("again")).get(5, TimeUnit.SECONDS))
        .isEqualTo("v1");
    assertThat(cache.retrieve("a").get(5, TimeUnit.SECONDS)).isEqualTo("v1");
    assertThat(calls).hasValue(1);
  }

  @Test
  void retrieve_withFailingFuture_cachesNothing() {
    CompletableFuture<Object> failed = CompletableFuture.failedFuture(new IllegalStateException("down"));
    assertThatThrownBy(() -> cache.retrieve("a", () -> failed).get(5, TimeUnit.SECONDS))
        .hasRootCauseMessage("down");
    assertThat(cache.get("a")).isNull();
  }

  @Test
  void nativeCache_isTheTieredCacheKeyedByIds() {
    cache.fillView().put(7L, "seven");
    assertThat(cache.getNativeCache().getIfPresent("l:7")).isEqualTo("seven");
    assertThat(cache.getName()).isEqualTo("products");
  }
}
