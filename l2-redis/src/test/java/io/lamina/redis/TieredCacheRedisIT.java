package io.lamina.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lamina.BulkLoader;
import io.lamina.CacheLoader;
import io.lamina.TieredCache;
import io.lamina.TieredCacheBuilder;
import io.lamina.TieredCacheConfig;
import io.lamina.ValueCodecs;
import io.lamina.testkit.server.RedisServer;
import io.lamina.testkit.server.WithRedis;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.redisson.api.RedissonClient;

/** The facade on a real Redis: two "nodes" (separate Redisson clients) sharing L2, TTLs, bulk calls. */
@WithRedis
class TieredCacheRedisIT {

  private static RedisServer redis;
  private static RedissonClient clientA;
  private static RedissonClient clientB;

  private final Map<String, String> source = new ConcurrentHashMap<>();
  private final AtomicInteger loads = new AtomicInteger();
  private final List<TieredCache<?, ?>> opened = new ArrayList<>();
  private String namespace;

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

  @org.junit.jupiter.api.BeforeEach
  void namespace(TestInfo test) {
    namespace = "it-" + test.getTestMethod().orElseThrow().getName().replaceAll("[^A-Za-z0-9]", "").toLowerCase();
  }

  @AfterEach
  void close() {
    opened.forEach(TieredCache::close);
  }

  private final CacheLoader<String, String> loader = key -> {
    loads.incrementAndGet();
    return source.get(key);
  };

  private TieredCache<String, String> node(RedissonClient client, Consumer<TieredCacheConfig.Builder> config,
      Consumer<TieredCacheBuilder<String, String>> wiring) {
    TieredCacheConfig.Builder c = TieredCacheConfig.custom().namespace(namespace);
    config.accept(c);
    TieredCacheBuilder<String, String> b = TieredCache.<String, String>newBuilder("items")
        .config(c.build())
        .remote(RedissonRemoteTier.of(client))
        .valueCodec(ValueCodecs.utf8());
    wiring.accept(b);
    TieredCache<String, String> cache = b.build();
    opened.add(cache);
    return cache;
  }

  private TieredCache<String, String> node(RedissonClient client) {
    return node(client, c -> {}, b -> b.loader(loader));
  }

  private String redisKey(String id) {
    return namespace + ":items:1:" + id;
  }

  @Test
  void twoNodes_withTheirOwnConnections_shareL2() {
    TieredCache<String, String> a = node(clientA);
    TieredCache<String, String> b = node(clientB);
    source.put("k", "v1");
    assertThat(a.get("k")).isEqualTo("v1");
    assertThat(b.get("k")).isEqualTo("v1");
    assertThat(loads.get()).as("the second node read L2, not the source").isEqualTo(1);
    assertThat(b.stats().l2().hits()).isEqualTo(1);
    assertThat(a.stats().l2().misses()).isEqualTo(1);
    assertThat(redis.commandWithKey("EXISTS", redisKey("k"))).isEqualTo(1L);
  }

  @Test
  void invalidateOnOneNode_makesTheOtherLoadTheNewValue() {
    TieredCache<String, String> a = node(clientA);
    TieredCache<String, String> b = node(clientB);
    source.put("k", "v1");
    a.get("k");
    source.put("k", "v2");
    a.invalidate("k");
    assertThat(b.get("k")).isEqualTo("v2");
    assertThat(a.get("k")).isEqualTo("v2");
    assertThat(loads.get()).isEqualTo(2);
  }

  @Test
  void versionedPut_isSeenByTheOtherNode_andAnOlderPutNeverWins() {
    Consumer<TieredCacheBuilder<String, String>> versioned =
        w -> w.loader(loader).versionOf(v -> Long.parseLong(v.substring(v.indexOf('@') + 1)));
    TieredCache<String, String> a = node(clientA, c -> {}, versioned);
    TieredCache<String, String> b = node(clientB, c -> {}, versioned);
    a.put("k", "new@5");
    assertThat(b.getIfPresent("k")).isEqualTo("new@5");
    b.put("k", "old@4");
    assertThat(a.getIfPresent("k")).isEqualTo("new@5");
    assertThat(b.getIfPresent("k")).as("the writer of the older value does not keep it in L1").isEqualTo("new@5");
  }

  @Test
  void versionedPut_olderThanALoadedValue_neverReplacesIt() {
    Consumer<TieredCacheBuilder<String, String>> versioned =
        w -> w.loader(loader).versionOf(v -> Long.parseLong(v.substring(1)));
    TieredCache<String, String> a = node(clientA, c -> {}, versioned);
    TieredCache<String, String> b = node(clientB, c -> {}, versioned);
    TieredCache<String, String> delayedWriter = node(clientB, c -> {}, versioned);
    source.put("k", "X10");
    a.put("k", "X10");
    source.put("k", "X12");
    a.invalidate("k");
    assertThat(a.get("k")).isEqualTo("X12"); // loaded from the source and filled into L2
    delayedWriter.put("k", "X11"); // a writer that read the row before X12 committed, arriving late
    assertThat(b.get("k")).as("L2 keeps the newest source version it stored, filled or put").isEqualTo("X12");
    assertThat(delayedWriter.get("k")).isEqualTo("X12");
  }

  @Test
  void racingVersionedWriters_onTwoNodes_leaveTheNewestInL2() throws Exception {
    Consumer<TieredCacheBuilder<String, String>> versioned =
        w -> w.versionOf(v -> Long.parseLong(v.substring(v.indexOf('@') + 1)));
    TieredCache<String, String> a = node(clientA, c -> {}, versioned);
    TieredCache<String, String> b = node(clientB, c -> {}, versioned);
    TieredCache<String, String> reader = node(clientA, c -> {}, versioned);
    ExecutorService pool = Executors.newFixedThreadPool(2);
    try {
      for (int round = 0; round < 100; round++) {
        String key = "r" + round;
        CountDownLatch go = new CountDownLatch(1);
        Future<?> fa = pool.submit(() -> {
          go.await();
          for (int v = 0; v < 20; v += 2) {
            a.put(key, "a@" + v);
          }
          return null;
        });
        Future<?> fb = pool.submit(() -> {
          go.await();
          for (int v = 1; v < 20; v += 2) {
            b.put(key, "b@" + v);
          }
          return null;
        });
        go.countDown();
        fa.get(30, TimeUnit.SECONDS);
        fb.get(30, TimeUnit.SECONDS);
        assertThat(reader.getIfPresent(key)).as("round %d", round).isEqualTo("b@19");
      }
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void l2Ttl_isJittered_withinItsFraction() {
    TieredCache<String, String> a = node(clientA, c -> c.l2Ttl(Duration.ofSeconds(100)).l2TtlJitter(0.5),
        b -> b.loader(loader));
    for (int i = 0; i < 200; i++) {
      source.put("k" + i, "v");
      a.get("k" + i);
    }
    long min = Long.MAX_VALUE;
    long max = 0;
    for (int i = 0; i < 200; i++) {
      long ttl = (Long) redis.commandWithKey("PTTL", redisKey("k" + i));
      min = Math.min(min, ttl);
      max = Math.max(max, ttl);
    }
    assertThat(min).isGreaterThanOrEqualTo(49_000);
    assertThat(max).isLessThanOrEqualTo(100_000);
    assertThat(max - min).as("jitter spreads expiry").isGreaterThan(20_000);
  }

  @Test
  void negativeResult_isStoredWithTheNegativeTtl_andSharedWithOtherNodes() {
    TieredCache<String, String> a = node(clientA, c -> c.negativeTtl(Duration.ofSeconds(7)), b -> b.loader(loader));
    TieredCache<String, String> b = node(clientB, c -> c.negativeTtl(Duration.ofSeconds(7)), w -> w.loader(loader));
    assertThat(a.get("missing")).isNull();
    assertThat(b.get("missing")).isNull();
    assertThat(loads.get()).isEqualTo(1);
    long ttl = (Long) redis.commandWithKey("PTTL", redisKey("missing"));
    assertThat(ttl).isBetween(1L, 7_000L);
    assertThat(new String((byte[]) redis.commandWithKey("HGET", redisKey("missing"), "s"))).isEqualTo("N");
  }

  @Test
  void getAll_pipelinesL2_andLoadsTheRestInOneBulkCall() {
    AtomicInteger bulkCalls = new AtomicInteger();
    List<Integer> bulkSizes = new ArrayList<>();
    BulkLoader<String, String> bulk = keys -> {
      bulkCalls.incrementAndGet();
      bulkSizes.add(keys.size());
      Map<String, String> out = new HashMap<>();
      keys.forEach(k -> {
        if (!k.endsWith("7")) {
          out.put(k, "v-" + k);
        }
      });
      return out;
    };
    TieredCache<String, String> a = node(clientA, c -> {}, w -> w.bulkLoader(bulk));
    TieredCache<String, String> b = node(clientB, c -> {}, w -> w.bulkLoader(bulk));
    List<String> keys = new ArrayList<>();
    for (int i = 0; i < 100; i++) {
      keys.add("k" + i);
    }
    Map<String, String> first = a.getAll(keys);
    assertThat(first).hasSize(90).containsEntry("k1", "v-k1").doesNotContainKey("k7");
    assertThat(bulkSizes).containsExactly(100);
    Map<String, String> second = b.getAll(keys);
    assertThat(second).isEqualTo(first);
    assertThat(bulkCalls.get()).as("node B found everything in L2, negatives included").isEqualTo(1);
    assertThat(b.stats().l2().hits()).isEqualTo(100);
    a.invalidateAll(List.of("k1", "k2"));
    assertThat(a.getAll(List.of("k1", "k2", "k3")).keySet()).containsExactly("k1", "k2", "k3");
    assertThat(bulkSizes).containsExactly(100, 2);
  }

  @Test
  void invalidateAll_removesTheWholeCache_butNotOtherCaches() {
    TieredCache<String, String> a = node(clientA);
    TieredCache<String, String> other = TieredCache.<String, String>newBuilder("others")
        .config(TieredCacheConfig.custom().namespace(namespace).build())
        .remote(RedissonRemoteTier.of(clientA)).valueCodec(ValueCodecs.utf8()).loader(k -> "o").build();
    opened.add(other);
    for (int i = 0; i < 50; i++) {
      source.put("k" + i, "v");
      a.get("k" + i);
    }
    other.get("x");
    a.invalidateAll();
    for (int i = 0; i < 50; i++) {
      assertThat(redis.commandWithKey("EXISTS", redisKey("k" + i))).isEqualTo(0L);
    }
    assertThat(redis.commandWithKey("EXISTS", namespace + ":others:1:x")).isEqualTo(1L);
    assertThat(a.getIfPresent("k1")).isNull();
  }

  @Test
  void unusualKeys_roundTripExactly_underTheDocumentedLayout() {
    TieredCache<String, String> a = node(clientA);
    TieredCache<String, String> b = node(clientB);
    for (String key : List.of("", "a b", "line\r\nbreak", "*", "?", "[x]", "a:b", "a.b", "a>b", "*:?[]>. ")) {
      source.put(key, "value of " + key);
      assertThat(a.get(key)).isEqualTo("value of " + key);
      assertThat(b.getIfPresent(key)).isEqualTo("value of " + key);
      assertThat(redis.commandWithKey("EXISTS", redisKey(key))).as("key %s", key).isEqualTo(1L);
    }
    assertThat(b.getIfPresent("a")).isNull();
  }

  @Test
  void valueLargerThanTheMaximum_isRejected_andRedisIsUntouched() {
    TieredCache<String, String> a = node(clientA, c -> c.maxValueBytes(100),
        w -> w.loader(loader).versionOf(v -> 1L));
    assertThatThrownBy(() -> a.put("big", "x".repeat(1000))).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("maxValueBytes (100)");
    assertThat(redis.commandWithKey("EXISTS", redisKey("big"))).isEqualTo(0L);
    source.put("loaded", "y".repeat(1000));
    assertThat(a.get("loaded")).hasSize(1000);
    assertThat(redis.commandWithKey("HGET", redisKey("loaded"), "p")).as("too large to fill").isNull();
  }

  @Test
  void slowLoad_racingAWrite_withTheKeyEvictedInBetween_leavesNothingStale() throws Exception {
    TieredCache<String, String> b = node(clientB);
    ExecutorService pool = Executors.newSingleThreadExecutor();
    try {
      for (int round = 0; round < 50; round++) {
        String key = "race" + round;
        source.put(key, "old");
        CountDownLatch entered = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        TieredCache<String, String> a = node(clientA, c -> {}, w -> w.loader(k -> {
          String v = source.get(k);
          entered.countDown();
          release.await();
          return v;
        }));
        Future<String> slow = pool.submit(() -> a.get(key));
        assertThat(entered.await(10, TimeUnit.SECONDS)).isTrue();
        redis.commandWithKey("DEL", redisKey(key)); // Redis evicts the key, lease and all
        source.put(key, "new");
        b.invalidate(key); // a new incarnation: the old lease must not match it
        release.countDown();
        assertThat(slow.get(10, TimeUnit.SECONDS)).isEqualTo("old");
        assertThat(b.get(key)).as("round %d", round).isEqualTo("new");
        assertThat(node(clientB).getIfPresent(key)).isEqualTo("new");
      }
    } finally {
      pool.shutdownNow();
    }
  }
}
