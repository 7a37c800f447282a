package io.lamina.facade;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lamina.AsyncCacheLoader;
import io.lamina.CacheLoaderException;
import io.lamina.KeyCodecs;
import io.lamina.TieredCache;
import io.lamina.TieredCacheConfig;
import io.lamina.ValueCodecs;
import io.lamina.testkit.memory.InMemoryLocalTier;
import io.lamina.testkit.memory.InMemoryRemoteTier;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
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
 * {@code getAsync} parks no thread: L2 hits complete on the remote client's thread, an {@link AsyncCacheLoader}
 * loads without the executor, and the guarded-fill rules hold as they do for {@code get}.
 */
class AsyncReadTest {

  private final InMemoryRemoteTier remote = new InMemoryRemoteTier();
  private final ExecutorService io = Executors.newSingleThreadExecutor(r -> new Thread(r, "remote-io"));
  private final ExecutorService pool = Executors.newCachedThreadPool();
  /** Tasks given to the caches' executor: the asynchronous paths under test must give it none. */
  private final AtomicInteger executorTasks = new AtomicInteger();
  private final Executor counting = task -> {
    executorTasks.incrementAndGet();
    pool.execute(task);
  };
  private final Map<String, String> source = new ConcurrentHashMap<>();
  private final AtomicInteger syncLoads = new AtomicInteger();
  private final List<TieredCache<?, ?>> opened = new ArrayList<>();

  @AfterEach
  void close() {
    opened.forEach(TieredCache::close);
    io.shutdownNow();
    pool.shutdownNow();
  }

  private TieredCache<String, String> node(TieredCacheConfig config) {
    TieredCache<String, String> cache = TieredCache.<String, String>newBuilder("items")
        .config(config)
        .local(InMemoryLocalTier.provider()).remote(remote)
        .valueCodec(ValueCodecs.utf8()).keyCodec(KeyCodecs.strings())
        .executor(counting)
        .loader(key -> {
          syncLoads.incrementAndGet();
          return source.get(key);
        })
        .build();
    opened.add(cache);
    return cache;
  }

  private TieredCache<String, String> node() {
    return node(TieredCacheConfig.custom().namespace("async").build());
  }

  /** Holds the remote tier's answers until released, then delivers them on the "remote-io" thread. */
  private final class HeldReplies implements Executor {
    private final ConcurrentLinkedQueue<Runnable> held = new ConcurrentLinkedQueue<>();

    @Override
    public void execute(Runnable reply) {
      held.add(reply);
    }

    void release() throws Exception {
      Runnable r;
      while ((r = held.poll()) != null) {
        io.submit(r).get(5, TimeUnit.SECONDS);
      }
    }
  }

  /** An async read of {@code key} whose load has started and ends when {@code loading} completes. */
  private static CompletableFuture<String> loadingAsync(TieredCache<String, String> c, String key,
      CompletableFuture<String> loading) throws InterruptedException {
    CountDownLatch started = new CountDownLatch(1);
    CompletableFuture<String> read = c.getAsync(key, (k, executor) -> {
      started.countDown();
      return loading;
    });
    assertThat(started.await(5, TimeUnit.SECONDS)).isTrue();
    return read;
  }

  @Test
  void anL2Hit_completesOnTheRemoteClientsThread_andUsesNoExecutorThread() throws Exception {
    source.put("k", "v1");
    node().get("k"); // another instance filled L2
    TieredCache<String, String> fresh = node();
    HeldReplies replies = new HeldReplies();
    remote.replyOn(replies);
    executorTasks.set(0);
    CompletableFuture<String> read = fresh.getAsync("k");
    assertThat(read).as("waits for L2's answer").isNotDone();
    AtomicReference<String> completedOn = new AtomicReference<>();
    read.whenComplete((v, e) -> completedOn.set(Thread.currentThread().getName()));
    replies.release();
    assertThat(read.get(5, TimeUnit.SECONDS)).isEqualTo("v1");
    assertThat(completedOn.get()).isEqualTo("remote-io");
    assertThat(executorTasks.get()).as("executor tasks").isZero();
    assertThat(fresh.stats().l2().hits()).isEqualTo(1);
    assertThat(fresh.getAsync("k")).as("L1 holds it now").isCompletedWithValue("v1");
    assertThat(syncLoads.get()).isEqualTo(1);
  }

  @Test
  void getIfPresentAsync_missingInBothTiers_completesWithNull_withoutLoading() throws Exception {
    TieredCache<String, String> c = node();
    remote.replyOn(io);
    executorTasks.set(0);
    assertThat(c.getIfPresentAsync("nothing").get(5, TimeUnit.SECONDS)).isNull();
    assertThat(syncLoads.get()).isZero();
    assertThat(executorTasks.get()).isZero();
  }

  @Test
  void anAsyncLoader_fillsL2AndL1_withoutTheExecutor() throws Exception {
    TieredCache<String, String> c = node();
    HeldReplies replies = new HeldReplies();
    remote.replyOn(replies);
    executorTasks.set(0);
    CompletableFuture<String> loading = new CompletableFuture<>();
    AtomicInteger asyncLoads = new AtomicInteger();
    CompletableFuture<String> read = c.getAsync("new", (key, executor) -> {
      asyncLoads.incrementAndGet();
      return loading;
    });
    replies.release(); // L2 answers: a miss, with the lease
    assertThat(asyncLoads.get()).isEqualTo(1);
    assertThat(read).isNotDone();
    loading.complete("loaded");
    replies.release(); // the fill lands
    assertThat(read.get(5, TimeUnit.SECONDS)).isEqualTo("loaded");
    assertThat(executorTasks.get()).as("executor tasks").isZero();
    assertThat(c.stats().loads()).isEqualTo(1);
    assertThat(c.getAsync("new")).as("L1 holds it").isCompletedWithValue("loaded");
    remote.replyOn(Runnable::run);
    assertThat(node().getIfPresent("new")).as("L2 holds it: another instance reads it").isEqualTo("loaded");
    assertThat(syncLoads.get()).isZero();
  }

  @Test
  void concurrentAsyncMisses_ofOneKey_callTheAsyncLoaderOnce() throws Exception {
    TieredCache<String, String> c = node();
    remote.replyOn(io);
    CompletableFuture<String> loading = new CompletableFuture<>();
    AtomicInteger asyncLoads = new AtomicInteger();
    AsyncCacheLoader<String, String> loader = (key, executor) -> {
      asyncLoads.incrementAndGet();
      return loading;
    };
    List<CompletableFuture<String>> reads = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      reads.add(c.getAsync("k", loader));
    }
    loading.complete("v");
    for (CompletableFuture<String> r : reads) {
      assertThat(r.get(5, TimeUnit.SECONDS)).isEqualTo("v");
    }
    assertThat(asyncLoads.get()).isEqualTo(1);
    assertThat(c.stats().coalescedLoads()).isEqualTo(49);
  }

  @Test
  void anInvalidationDuringAnAsyncLoad_servesTheLoadedValue_butStoresItNowhere() throws Exception {
    TieredCache<String, String> c = node();
    remote.replyOn(io);
    CompletableFuture<String> loading = new CompletableFuture<>();
    CompletableFuture<String> read = loadingAsync(c, "k", loading);
    source.put("k", "new");
    c.invalidate("k"); // the source changed while the load read the old row
    loading.complete("old");
    assertThat(read.get(5, TimeUnit.SECONDS)).as("its own caller gets what it loaded").isEqualTo("old");
    assertThat(c.stats().rejectedFills()).as("the fill lost its lease").isEqualTo(1);
    assertThat(c.get("k")).as("neither tier kept the old value").isEqualTo("new");
    assertThat(node().get("k")).isEqualTo("new");
  }

  @Test
  void anAsyncLoadPastTheLoadTimeout_isCancelled_andNothingIsStored() throws Exception {
    TieredCache<String, String> c = node(TieredCacheConfig.custom().namespace("async")
        .loadTimeout(Duration.ofMillis(200)).build());
    remote.replyOn(io);
    CompletableFuture<String> never = new CompletableFuture<>();
    CompletableFuture<String> read = c.getAsync("k", (key, executor) -> never);
    assertThatThrownBy(() -> read.get(5, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
        .cause().isInstanceOf(CacheLoaderException.class).hasMessageContaining("loadTimeout");
    assertThat(never).isCancelled();
    assertThat(c.stats().protection().loadTimeouts()).isEqualTo(1);
    source.put("k", "v");
    assertThat(c.getAsync("k").get(5, TimeUnit.SECONDS)).as("the next read loads again").isEqualTo("v");
  }

  @Test
  void aFailedAsyncLoad_failsItsCallers_andTheNextReadLoadsAgain() throws Exception {
    TieredCache<String, String> c = node();
    remote.replyOn(io);
    CompletableFuture<String> failing = new CompletableFuture<>();
    CompletableFuture<String> first = c.getAsync("k", (key, executor) -> failing);
    CompletableFuture<String> joined = c.getAsync("k", (key, executor) -> CompletableFuture.completedFuture("x"));
    failing.completeExceptionally(new IOException("database down"));
    for (CompletableFuture<String> r : List.of(first, joined)) {
      assertThatThrownBy(() -> r.get(5, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
          .cause().isInstanceOf(CacheLoaderException.class).cause().hasMessage("database down");
    }
    assertThat(c.stats().loadFailures()).isEqualTo(1);
    source.put("k", "v");
    assertThat(c.getAsync("k").get(5, TimeUnit.SECONDS)).isEqualTo("v");
  }

  @Test
  void aSyncReadOnTheThreadThatStartedAnAsyncLoad_joinsIt_ratherThanReportingARecursiveLoad() throws Exception {
    TieredCache<String, String> c = node();
    remote.replyOn(io);
    CompletableFuture<String> loading = new CompletableFuture<>();
    CompletableFuture<String> read = loadingAsync(c, "k", loading);
    CompletableFuture.delayedExecutor(100, TimeUnit.MILLISECONDS).execute(() -> loading.complete("v"));
    assertThat(c.get("k")).isEqualTo("v");
    assertThat(read.get(5, TimeUnit.SECONDS)).isEqualTo("v");
    assertThat(syncLoads.get()).isZero();
  }

  @Test
  void withL2Down_anAsyncLoad_servesItsValue_andStoresItNowhere() throws Exception {
    TieredCache<String, String> c = node();
    remote.failWith(() -> new IOException("connection refused"));
    AtomicInteger asyncLoads = new AtomicInteger();
    AsyncCacheLoader<String, String> loader = (key, executor) -> {
      asyncLoads.incrementAndGet();
      return CompletableFuture.completedFuture("v" + asyncLoads.get());
    };
    assertThat(c.getAsync("k", loader).get(5, TimeUnit.SECONDS)).isEqualTo("v1");
    assertThat(c.getAsync("k", loader).get(5, TimeUnit.SECONDS)).as("not kept in L1 either").isEqualTo("v2");
    assertThat(c.stats().remoteFailures()).isEqualTo(2);
  }

  @Test
  void getAllAsync_settlesL2Hits_onTheRemoteClientsThread_inTheCallersOrder() throws Exception {
    List<String> keys = List.of("k9", "k3", "k7", "k1", "k5", "k0", "k8", "k2", "k6", "k4");
    keys.forEach(k -> source.put(k, "v:" + k));
    node().getAll(keys); // another instance filled L2
    TieredCache<String, String> fresh = node();
    fresh.get("k7");
    fresh.get("k0"); // two already in L1
    HeldReplies replies = new HeldReplies();
    remote.replyOn(replies);
    executorTasks.set(0);
    long l2Hits = fresh.stats().l2().hits();
    CompletableFuture<Map<String, String>> read = fresh.getAllAsync(keys);
    assertThat(read).as("waits for L2's answer").isNotDone();
    AtomicReference<String> completedOn = new AtomicReference<>();
    read.whenComplete((v, e) -> completedOn.set(Thread.currentThread().getName()));
    replies.release();
    assertThat(read.get(5, TimeUnit.SECONDS).keySet()).containsExactlyElementsOf(keys);
    assertThat(read.get().get("k3")).isEqualTo("v:k3");
    assertThat(completedOn.get()).isEqualTo("remote-io");
    assertThat(executorTasks.get()).as("executor tasks").isZero();
    assertThat(fresh.stats().l2().hits() - l2Hits).isEqualTo(8);
    assertThat(fresh.getAllAsync(keys)).as("all in L1 now").isDone();
    assertThat(syncLoads.get()).as("loads: the first instance's ten").isEqualTo(10);
  }

  @Test
  void getAllAsync_loadsWhatBothTiersMiss_andJoinsAKeyAnotherCallerIsLoading() throws Exception {
    source.put("a", "1");
    source.put("b", "2");
    node().get("a");
    TieredCache<String, String> c = node();
    remote.replyOn(io);
    CompletableFuture<String> loading = new CompletableFuture<>();
    CompletableFuture<String> single = loadingAsync(c, "j", loading);
    CompletableFuture<Map<String, String>> read = c.getAllAsync(List.of("a", "b", "j", "none"));
    Awaitility.await().during(Duration.ofMillis(50)).atMost(Duration.ofSeconds(1)) // it waits for the load of j
        .until(() -> !read.isDone());

    loading.complete("3");
    assertThat(read.get(5, TimeUnit.SECONDS)).containsExactly(Map.entry("a", "1"), Map.entry("b", "2"),
        Map.entry("j", "3"));
    assertThat(single.get(5, TimeUnit.SECONDS)).isEqualTo("3");
    assertThat(c.stats().coalescedLoads()).isEqualTo(1);
    assertThat(c.getAllAsync(List.of("a", "b", "j", "none"))).as("all in L1 now, none as a negative result")
        .isDone();
  }

  @Test
  void asyncLoadsRacingInvalidations_neverLeaveAnOlderValueCached() throws Exception {
    // Each round: an async load reads the source on another thread while a writer changes the row and
    // invalidates; whatever the interleaving, the value cached afterwards is the row's last one.
    TieredCache<String, String> c = node();
    remote.replyOn(io);
    ExecutorService writer = Executors.newSingleThreadExecutor();
    try {
      for (int round = 0; round < 3_000; round++) {
        String key = "k" + (round % 50);
        source.put(key, "r" + round + "-before");
        c.invalidate(key);
        CountDownLatch go = new CountDownLatch(1);
        CompletableFuture<String> read = c.getAsync(key, (k, executor) -> CompletableFuture.supplyAsync(() -> {
          Thread.yield();
          return source.get(k);
        }, pool));
        String after = "r" + round + "-after";
        CompletableFuture<Void> write = CompletableFuture.runAsync(() -> {
          await(go);
          source.put(key, after);
          c.invalidate(key);
        }, writer);
        go.countDown();
        write.get(5, TimeUnit.SECONDS);
        read.get(5, TimeUnit.SECONDS);
        assertThat(c.get(key)).as("round %d", round).isEqualTo(after);
        remote.replyOn(Runnable::run);
        assertThat(node().getIfPresent(key)).as("L2, round %d", round).isIn(after, null);
        opened.remove(opened.size() - 1).close();
        remote.replyOn(io);
      }
    } finally {
      writer.shutdownNow();
    }
  }

  private static void await(CountDownLatch latch) {
    try {
      latch.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
