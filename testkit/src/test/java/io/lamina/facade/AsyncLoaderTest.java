package io.lamina.facade;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lamina.AsyncCacheLoader;
import io.lamina.CacheLoaderException;
import io.lamina.KeyCodecs;
import io.lamina.TieredCache;
import io.lamina.TieredCacheBuilder;
import io.lamina.TieredCacheConfig;
import io.lamina.ValueCodecs;
import io.lamina.WriteStrategy;
import io.lamina.testkit.memory.InMemoryLocalTier;
import io.lamina.testkit.memory.InMemoryRemoteTier;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The builder's {@code asyncLoader}: {@code getAsync(key)} loads through it without the executor, and the
 * blocking reads wait for its future, failing with what it failed with and cancelling it past the load timeout.
 */
class AsyncLoaderTest {

  private final InMemoryRemoteTier remote = new InMemoryRemoteTier();
  private final ExecutorService pool = Executors.newCachedThreadPool();
  /** Tasks given to the cache's executor. */
  private final AtomicInteger executorTasks = new AtomicInteger();
  private final Executor counting = task -> {
    executorTasks.incrementAndGet();
    pool.execute(task);
  };
  private final List<TieredCache<?, ?>> opened = new ArrayList<>();

  @AfterEach
  void close() {
    opened.forEach(TieredCache::close);
    pool.shutdownNow();
  }

  private TieredCacheBuilder<String, String> builder(Duration loadTimeout) {
    return builder(TieredCacheConfig.custom().namespace("async-loader").loadTimeout(loadTimeout).build());
  }

  private TieredCacheBuilder<String, String> builder(TieredCacheConfig config) {
    return TieredCache.<String, String>newBuilder("items")
        .config(config)
        .local(InMemoryLocalTier.provider()).remote(remote)
        .valueCodec(ValueCodecs.utf8()).keyCodec(KeyCodecs.strings())
        .executor(counting);
  }

  private TieredCache<String, String> open(TieredCacheBuilder<String, String> builder) {
    TieredCache<String, String> cache = builder.build();
    opened.add(cache);
    return cache;
  }

  @Test
  void getAsync_withTheBuildersAsyncLoader_loadsThroughIt_withoutTheExecutor() throws Exception {
    CompletableFuture<String> loading = new CompletableFuture<>();
    AtomicInteger calls = new AtomicInteger();
    TieredCache<String, String> cache = open(builder(Duration.ofSeconds(5))
        .asyncLoader((key, executor) -> {
          calls.incrementAndGet();
          return loading;
        }));

    CompletableFuture<String> read = cache.getAsync("k");
    assertThat(read).as("waits for the source").isNotDone();
    loading.complete("v1");

    assertThat(read.get(5, TimeUnit.SECONDS)).isEqualTo("v1");
    assertThat(cache.getAsync("k")).as("an L1 hit now").isCompletedWithValue("v1");
    assertThat(calls).hasValue(1);
    assertThat(executorTasks).as("no executor task for the load or the fills").hasValue(0);
    assertThat(cache.stats().l1().hits()).isEqualTo(1);
  }

  @Test
  void get_withOnlyAnAsyncLoader_waitsForItsFuture() {
    TieredCache<String, String> cache = open(builder(Duration.ofSeconds(5))
        .asyncLoader((key, executor) -> CompletableFuture.supplyAsync(() -> "v-" + key, executor)));

    assertThat(cache.get("k")).isEqualTo("v-k");
    assertThat(cache.getAll(List.of("a", "b"))).containsEntry("a", "v-a").containsEntry("b", "v-b");
  }

  @Test
  void get_whoseAsyncLoaderFails_failsWithTheLoadersError_notAnExecutionException() {
    TieredCache<String, String> cache = open(builder(Duration.ofSeconds(5))
        .asyncLoader((key, executor) -> CompletableFuture.failedFuture(new IOException("source down"))));

    assertThatThrownBy(() -> cache.get("k"))
        .isInstanceOf(CacheLoaderException.class)
        .hasCauseInstanceOf(IOException.class)
        .hasMessageContaining("source down")
        .hasMessageNotContaining(ExecutionException.class.getName());
    assertThatThrownBy(() -> cache.getAsync("k").join())
        .hasRootCauseInstanceOf(IOException.class);
  }

  @Test
  void get_whoseAsyncLoaderNeverAnswers_failsAtTheLoadTimeout_andCancelsTheFuture() {
    AtomicReference<CompletableFuture<String>> started = new AtomicReference<>();
    TieredCache<String, String> cache = open(builder(Duration.ofMillis(100))
        .asyncLoader((key, executor) -> {
          CompletableFuture<String> never = new CompletableFuture<>();
          started.set(never);
          return never;
        }));

    assertThatThrownBy(() -> cache.get("k"))
        .isInstanceOf(CacheLoaderException.class)
        .hasMessageContaining("loadTimeout");
    Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> started.get() != null
        && started.get().isCancelled());
    assertThat(cache.getIfPresent("k")).as("nothing stored").isNull();
  }

  @Test
  void withBothLoaders_getUsesTheLoader_andGetAsyncTheAsyncLoader() throws Exception {
    TieredCache<String, String> cache = open(builder(Duration.ofSeconds(5))
        .loader(key -> "sync-" + key)
        .asyncLoader((key, executor) -> CompletableFuture.completedFuture("async-" + key)));

    assertThat(cache.get("a")).isEqualTo("sync-a");
    assertThat(cache.getAsync("b").get(5, TimeUnit.SECONDS)).isEqualTo("async-b");
  }

  @Test
  void readThrough_isSatisfiedByAnAsyncLoader_andTheAsyncLoaderIsSetOnce() {
    AsyncCacheLoader<String, String> loader = (key, executor) -> CompletableFuture.completedFuture("v");
    TieredCache<String, String> cache = open(builder(TieredCacheConfig.custom().namespace("async-loader")
        .writeStrategy(WriteStrategy.READ_THROUGH).build())
        .asyncLoader(loader));
    assertThat(cache.get("k")).isEqualTo("v");

    assertThatThrownBy(() -> builder(Duration.ofSeconds(5)).asyncLoader(loader).asyncLoader(loader))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("asyncLoader was already set");
  }

  @Test
  void getAsync_withNoLoaderAtAll_namesBothWaysToConfigureOne() {
    TieredCache<String, String> cache = open(builder(Duration.ofSeconds(5)));

    assertThatThrownBy(() -> cache.getAsync("k"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("loader(...) or asyncLoader(...)");
  }
}
