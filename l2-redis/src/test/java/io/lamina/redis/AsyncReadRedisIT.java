package io.lamina.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.lamina.AsyncCacheLoader;
import io.lamina.KeyCodecs;
import io.lamina.TieredCache;
import io.lamina.TieredCacheConfig;
import io.lamina.ValueCodecs;
import io.lamina.testkit.server.RedisServer;
import io.lamina.testkit.server.WithRedis;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.redisson.api.RedissonClient;

/**
 * The asynchronous reads on a real Redis: L2 hits complete on Redisson's event-loop threads and an
 * {@link AsyncCacheLoader} fills both tiers, with no task given to the cache's executor; many concurrent async
 * misses of one key cost one load.
 */
@WithRedis
class AsyncReadRedisIT {

  private static RedisServer redis;
  private static RedissonClient clientA;
  private static RedissonClient clientB;

  private final ExecutorService pool = Executors.newCachedThreadPool();
  /** Read and load tasks given to the caches' executor (Caffeine's maintenance runs there too, and is not one). */
  private final AtomicInteger executorTasks = new AtomicInteger();
  private final List<String> taskTypes = new CopyOnWriteArrayList<>();
  private final Executor counting = task -> {
    if (!task.getClass().getName().startsWith("com.github.benmanes.caffeine.")) {
      executorTasks.incrementAndGet();
      taskTypes.add(task.getClass().getName());
    }
    pool.execute(task);
  };
  private final Map<String, String> source = new ConcurrentHashMap<>();
  private final List<TieredCache<?, ?>> opened = new ArrayList<>();

  @BeforeAll
  static void connect(RedisServer server) {
    redis = server;
    clientA = RedisClients.connect(server);
    clientB = RedisClients.connect(server);
  }

  @AfterAll
  static void disconnect() {
    clientA.shutdown();
    clientB.shutdown();
  }

  @AfterEach
  void close() {
    opened.forEach(TieredCache::close);
    pool.shutdownNow();
  }

  private TieredCache<String, String> node(RedissonClient client, String namespace) {
    TieredCache<String, String> cache = TieredCache.<String, String>newBuilder("items")
        .config(TieredCacheConfig.custom().namespace(namespace).build())
        .remote(RedissonRemoteTier.of(client)).keyCodec(KeyCodecs.strings()).valueCodec(ValueCodecs.utf8())
        .executor(counting)
        .loader(source::get)
        .build();
    opened.add(cache);
    return cache;
  }

  @Test
  void l2Hits_completeOnRedissonsThreads_withoutTheExecutor() throws Exception {
    List<String> keys = IntStream.range(0, 20).mapToObj(i -> "k" + i).toList();
    keys.forEach(k -> source.put(k, "v:" + k));
    node(clientA, "async-hits").getAll(keys);
    TieredCache<String, String> b = node(clientB, "async-hits");
    executorTasks.set(0);
    String caller = Thread.currentThread().getName();
    Map<String, String> threads = new ConcurrentHashMap<>();
    List<CompletableFuture<?>> reads = new ArrayList<>();
    CompletableFuture<Map<String, String>> bulk;
    // Redis is paused while the reads are issued, so none can have completed when the callbacks are attached: a
    // read that blocked its caller, or completed on it, would be seen here.
    redis.pause();
    try {
      for (String k : keys.subList(0, 10)) {
        CompletableFuture<String> read = b.getAsync(k);
        assertThat(read).as("returned before Redis answered").isNotDone();
        reads.add(read.thenAccept(v -> {
          assertThat(v).isEqualTo("v:" + k);
          threads.put(k, Thread.currentThread().getName());
        }));
      }
      bulk = b.getAllAsync(keys.subList(10, 20));
      assertThat(bulk).isNotDone();
    } finally {
      redis.resume();
    }
    CompletableFuture.allOf(reads.toArray(CompletableFuture[]::new)).get(10, TimeUnit.SECONDS);
    assertThat(bulk.get(10, TimeUnit.SECONDS)).hasSize(10).containsEntry("k15", "v:k15");
    assertThat(executorTasks.get()).as("executor tasks: %s", taskTypes).isZero();
    assertThat(b.stats().l2().hits()).isEqualTo(20);
    assertThat(threads.values()).as("completed on the client's threads, never the caller's").hasSize(10)
        .doesNotContain(caller).allMatch(name -> name.startsWith("redisson-netty"));
  }

  @Test
  void anAsyncLoader_fillsBothTiers_andConcurrentMissesLoadOnce() throws Exception {
    TieredCache<String, String> a = node(clientA, "async-load");
    executorTasks.set(0);
    AtomicInteger loads = new AtomicInteger();
    ExecutorService database = Executors.newSingleThreadExecutor();
    try {
      AsyncCacheLoader<String, String> loader = (key, executor) -> CompletableFuture.supplyAsync(() -> {
        loads.incrementAndGet();
        return "row:" + key;
      }, CompletableFuture.delayedExecutor(50, TimeUnit.MILLISECONDS, database));
      List<CompletableFuture<String>> reads = new ArrayList<>();
      for (int i = 0; i < 200; i++) {
        reads.add(a.getAsync("hot", loader));
      }
      for (CompletableFuture<String> r : reads) {
        assertThat(r.get(10, TimeUnit.SECONDS)).isEqualTo("row:hot");
      }
      assertThat(loads.get()).isEqualTo(1);
      assertThat(executorTasks.get()).as("executor tasks: %s", taskTypes).isZero();
      TieredCache<String, String> b = node(clientB, "async-load");
      assertThat(b.getIfPresentAsync("hot").get(10, TimeUnit.SECONDS)).as("in L2 for the other node")
          .isEqualTo("row:hot");
    } finally {
      database.shutdownNow();
    }
  }
}
