package io.lamina.warming;

import static org.assertj.core.api.Assertions.assertThat;

import io.lamina.BulkLoader;
import io.lamina.KeyCodecs;
import io.lamina.ProtectionConfig;
import io.lamina.TieredCache;
import io.lamina.TieredCacheConfig;
import io.lamina.ValueCodecs;
import io.lamina.caffeine.CaffeineLocalTier;
import io.lamina.redis.RedissonRemoteTier;
import io.lamina.testkit.server.RedisServer;
import io.lamina.testkit.server.WithRedis;
import java.sql.SQLTransientConnectionException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.stream.IntStream;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.Timeout;
import org.redisson.Redisson;
import org.redisson.api.RedissonClient;
import org.redisson.config.Config;

/**
 * Warming on a real Redis (a redis-server child process), instances as separate Redisson clients: a write during
 * the warm-up wins, the source rate limit holds, three instances load each key once, a failing or hanging source
 * is reported and ends by the deadline.
 */
@WithRedis
@Timeout(120)
class WarmingIT {

  private static final List<RedissonClient> CLIENTS = new ArrayList<>();
  private static RedisServer redis;

  private final List<TieredCache<?, ?>> opened = new ArrayList<>();
  /** The source of truth: each key's current version; a value is {@code key@version}. */
  private final Map<String, AtomicLong> versions = new ConcurrentHashMap<>();
  private final Map<String, AtomicInteger> sourceLoads = new ConcurrentHashMap<>();
  private String namespace;

  @BeforeAll
  static void server(RedisServer server) {
    redis = server;
  }

  @AfterAll
  static void disconnect() {
    CLIENTS.forEach(RedissonClient::shutdown);
  }

  @BeforeEach
  void namespace(TestInfo test) {
    namespace = "warm-" + test.getTestMethod().orElseThrow().getName().replaceAll("[^A-Za-z0-9]", "").toLowerCase();
  }

  @AfterEach
  void close() {
    opened.forEach(TieredCache::close);
  }

  static RedissonClient client() {
    Config config = new Config();
    config.useSingleServer().setAddress(redis.url()).setTimeout(5_000).setConnectTimeout(2_000)
        .setRetryAttempts(1).setConnectionMinimumIdleSize(2).setConnectionPoolSize(16);
    RedissonClient client = Redisson.create(config);
    CLIENTS.add(client);
    return client;
  }

  private static List<String> keys(int n) {
    return IntStream.range(0, n).mapToObj(i -> "k" + i).toList();
  }

  private String current(String key) {
    return key + '@' + versions.computeIfAbsent(key, k -> new AtomicLong(1)).get();
  }

  /** Reads each key's version first, then takes {@code latencyMillis} (a query's time): the stale-set window. */
  private BulkLoader<String, String> source(int latencyMillis) {
    return keys -> {
      Map<String, String> found = new HashMap<>();
      for (String k : keys) {
        sourceLoads.computeIfAbsent(k, x -> new AtomicInteger()).incrementAndGet();
        found.put(k, current(k));
      }
      if (latencyMillis > 0) {
        Thread.sleep(latencyMillis); // the query's own duration, during which writes may land
      }
      return found;
    };
  }

  private TieredCache<String, String> instance(BulkLoader<String, String> loader,
      Consumer<ProtectionConfig.Builder> protection, Duration loadTimeout) {
    ProtectionConfig.Builder p = ProtectionConfig.custom();
    protection.accept(p);
    TieredCache<String, String> cache = TieredCache.<String, String>newBuilder("products")
        .config(TieredCacheConfig.custom().namespace(namespace).loadTimeout(loadTimeout)
            .remoteTimeout(Duration.ofSeconds(5)) // a busy shared machine must not turn into an L2 outage
            .protection(p.build()).build())
        .local(CaffeineLocalTier.provider()).remote(RedissonRemoteTier.of(client()))
        .valueCodec(ValueCodecs.utf8()).keyCodec(KeyCodecs.strings()).bulkLoader(loader).build();
    opened.add(cache);
    return cache;
  }

  private TieredCache<String, String> instance(BulkLoader<String, String> loader) {
    return instance(loader, p -> {}, Duration.ofSeconds(5));
  }

  @Test
  void aWriteDuringTheWarmUp_wins_noStaleValueAfterwards() throws Exception {
    List<String> all = keys(4_000);
    TieredCache<String, String> warming = instance(source(20));
    TieredCache<String, String> other = instance(source(0));
    other.getAll(all.subList(0, 1_500)); // L2 holds a part already: the L2 pass has work too
    AtomicBoolean stop = new AtomicBoolean();
    AtomicInteger writes = new AtomicInteger();
    // Cache-aside writers: the source first, then invalidate. Even keys through the warming instance itself,
    // odd keys through another instance (which reaches the warming instance's fills through L2 only).
    List<Thread> writers = new ArrayList<>();
    for (int parity = 0; parity < 2; parity++) {
      TieredCache<String, String> via = parity == 0 ? warming : other;
      int p = parity;
      Thread writer = new Thread(() -> {
        while (!stop.get()) {
          String key = "k" + (2 * ThreadLocalRandom.current().nextInt(all.size() / 2) + p);
          versions.computeIfAbsent(key, k -> new AtomicLong(1)).incrementAndGet();
          via.invalidate(key);
          writes.incrementAndGet();
        }
      });
      writer.start();
      writers.add(writer);
    }
    WarmupProgress end = CacheWarmer.newBuilder(warming).keys(all)
        .config(WarmupConfig.custom().batchSize(50).sourceRateLimit(2_000).concurrency(2)
            .deadline(Duration.ofSeconds(60)).build())
        .build().start().await();
    stop.set(true);
    for (Thread w : writers) {
      w.join();
    }
    assertThat(end.state()).isEqualTo(WarmupState.DONE);
    assertThat(end.failed()).isZero();
    assertThat(end.fromL2()).isPositive();
    assertThat(end.loaded()).isPositive();
    assertThat(writes.get()).as("writes that raced the warm-up").isGreaterThan(100);
    assertThat(warming.stats().rejectedFills()).as("fills a racing write revoked (the guard at work)").isPositive();

    TieredCache<String, String> fresh = instance(source(0)); // no L1: what it finds is L2's
    List<String> staleInL2 = stale(fresh.getAllPresent(all));
    List<String> even = all.stream().filter(k -> Integer.parseInt(k.substring(1)) % 2 == 0).toList();
    List<String> staleOnWarmed = stale(warming.getAllPresent(even));
    System.out.printf("warm-up raced by %d writes: %d fills refused, %d stale in L2, %d stale on the warmed instance%n",
        writes.get(), warming.stats().rejectedFills(), staleInL2.size(), staleOnWarmed.size());
    assertThat(staleInL2).as("L2 entries older than the source").isEmpty();
    assertThat(staleOnWarmed).as("values the warmed instance serves, older than the source").isEmpty();
  }

  private List<String> stale(Map<String, String> seen) {
    List<String> stale = new ArrayList<>();
    seen.forEach((k, v) -> {
      if (!v.equals(current(k))) {
        stale.add(k + '=' + v + " but the source has " + current(k));
      }
    });
    return stale;
  }

  @Test
  void theHotKeysARunningInstanceRecorded_warmANewOne_fromL2Only() throws Exception {
    TieredCache<String, String> running = instance(source(0),
        p -> p.hotKeys(16).hotKeyWindow(Duration.ofSeconds(1)), Duration.ofSeconds(5));
    List<String> hot = List.of("k1", "k2", "k3");
    Awaitility.await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(1)).untilAsserted(() -> {
      for (int i = 0; i < 50; i++) {
        hot.forEach(running::get);
        running.get("cold" + ThreadLocalRandom.current().nextInt(100_000));
      }
      List<Object> recorded = new ArrayList<>();
      WarmupSource.recordedHotKeys(running, RedissonRemoteTier.of(client()), KeyCodecs.strings(), 10).keys()
          .forEach(recorded::add);
      assertThat(recorded).containsAll(hot); // merged into <ns>:products:~hot every half window
    });
    int loadsBefore = sourceLoads.values().stream().mapToInt(AtomicInteger::get).sum();
    TieredCache<String, String> joining = instance(source(0));
    WarmupProgress end = CacheWarmer.newBuilder(joining)
        .source(WarmupSource.recordedHotKeys(joining, RedissonRemoteTier.of(client()), KeyCodecs.strings(), 10))
        .config(WarmupConfig.custom().mode(WarmupMode.L2_ONLY).deadline(Duration.ofSeconds(10)).build())
        .build().start().await();
    assertThat(end.state()).isEqualTo(WarmupState.DONE);
    assertThat(end.fromL2()).isGreaterThanOrEqualTo(3);
    assertThat(sourceLoads.values().stream().mapToInt(AtomicInteger::get).sum()).isEqualTo(loadsBefore);
    long hits = joining.stats().l1().hits();
    hot.forEach(joining::get);
    assertThat(joining.stats().l1().hits() - hits).as("the hot keys are in the new instance's L1").isEqualTo(3);
  }

  @Test
  void theSourceRateLimit_holdsInEverySecond() throws Exception {
    ConcurrentLinkedQueue<Long> calls = new ConcurrentLinkedQueue<>();
    BulkLoader<String, String> counted = keys -> {
      long now = System.nanoTime();
      keys.forEach(k -> calls.add(now));
      return source(0).loadAll(keys);
    };
    int limit = 1_000;
    WarmupProgress end = CacheWarmer.newBuilder(instance(counted)).keys(keys(2_500))
        .config(WarmupConfig.custom().sourceRateLimit(limit).concurrency(4).deadline(Duration.ofSeconds(30)).build())
        .build().start().await();
    assertThat(end.state()).isEqualTo(WarmupState.DONE);
    assertThat(end.loaded()).isEqualTo(2_500);
    long[] at = calls.stream().mapToLong(Long::longValue).sorted().toArray();
    assertThat(at).hasSize(2_500);
    int worst = 0;
    for (int i = 0, j = 0; i < at.length; i++) { // the busiest one-second window starting at any call
      while (j < at.length && at[j] - at[i] < 1_000_000_000L) {
        j++;
      }
      worst = Math.max(worst, j - i);
    }
    double overall = (at.length - 1) / ((at[at.length - 1] - at[0]) / 1e9);
    System.out.printf("source rate limit %d keys/s: busiest second %d keys, overall %.0f keys/s%n", limit, worst,
        overall);
    assertThat(worst).as("source keys in the busiest second").isLessThanOrEqualTo((int) (limit * 1.1));
    assertThat(overall).as("source keys per second overall").isBetween(limit * 0.5, limit * 1.1);
  }

  @Test
  void threeInstances_warmingTheSameKeys_loadEachFromTheSourceOnce() throws Exception {
    List<String> all = keys(10_000);
    List<TieredCache<String, String>> instances = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      instances.add(instance(source(1), p -> p.distributedSingleFlight(true), Duration.ofSeconds(10)));
    }
    CountDownLatch go = new CountDownLatch(1);
    List<Warmup> warmups = new ArrayList<>();
    for (TieredCache<String, String> cache : instances) {
      warmups.add(CacheWarmer.newBuilder(cache).source(() -> {
            go.await();
            return all;
          })
          .config(WarmupConfig.custom().batchSize(250).sourceRateLimit(100_000).deadline(Duration.ofSeconds(90))
              .build()).build().start());
    }
    go.countDown();
    for (Warmup w : warmups) {
      WarmupProgress end = w.await();
      assertThat(end.state()).isEqualTo(WarmupState.DONE);
      assertThat(end.failed()).isZero();
      assertThat(end.done()).isEqualTo(10_000);
    }
    assertThat(sourceLoads).hasSize(10_000);
    List<String> twice = sourceLoads.entrySet().stream().filter(e -> e.getValue().get() != 1)
        .map(e -> e.getKey() + " x" + e.getValue().get()).limit(20).toList();
    assertThat(twice).as("keys loaded from the source more than once").isEmpty();
    for (TieredCache<String, String> cache : instances) {
      long hits = cache.stats().l1().hits();
      cache.getAll(all);
      assertThat(cache.stats().l1().hits() - hits).as("each instance holds every key in L1").isEqualTo(10_000);
    }
  }

  @Test
  void aSourceFailingHalfWay_isReported_andAHangingOne_endsAtTheDeadline() throws Exception {
    AtomicInteger served = new AtomicInteger();
    BulkLoader<String, String> failing = keys -> {
      if (served.addAndGet(keys.size()) > 500) {
        throw new SQLTransientConnectionException("connection pool exhausted");
      }
      return source(0).loadAll(keys);
    };
    WarmupProgress failed = CacheWarmer.newBuilder(instance(failing)).keys(keys(1_000))
        .config(WarmupConfig.custom().batchSize(100).concurrency(1).sourceRateLimit(100_000)
            .deadline(Duration.ofSeconds(30)).build()).build().start().await();
    assertThat(failed.state()).isEqualTo(WarmupState.DONE);
    assertThat(failed.loaded()).isEqualTo(500);
    assertThat(failed.failed()).isEqualTo(500);
    assertThat(failed.lastError()).contains("connection pool exhausted");

    CountDownLatch never = new CountDownLatch(1);
    AtomicInteger hangingServed = new AtomicInteger();
    BulkLoader<String, String> hanging = keys -> {
      if (hangingServed.addAndGet(keys.size()) > 500) {
        never.await(); // the database stops answering half way
      }
      return source(0).loadAll(keys);
    };
    namespace = namespace + "-hang";
    Duration deadline = Duration.ofSeconds(3);
    long start = System.nanoTime();
    WarmupProgress hung = CacheWarmer.newBuilder(instance(hanging, p -> {}, Duration.ofSeconds(1)))
        .keys(keys(1_000)).config(WarmupConfig.custom().batchSize(100).concurrency(2).sourceRateLimit(100_000)
            .deadline(deadline).build()).build().start().await();
    Duration took = Duration.ofNanos(System.nanoTime() - start);
    assertThat(hung.state()).isEqualTo(WarmupState.TIMED_OUT);
    assertThat(took).as("the warm-up ended by its deadline").isLessThan(deadline.plusMillis(1_000));
    assertThat(hung.loaded()).as("keys served before the source hung").isLessThanOrEqualTo(500);
    assertThat(hung.failed() + hung.skipped()).as("every other key: abandoned at loadTimeout or never reached")
        .isEqualTo(1_000 - hung.loaded());
    if (hung.failed() > 0) {
      assertThat(hung.lastError()).contains("loadTimeout");
    }
  }
}
