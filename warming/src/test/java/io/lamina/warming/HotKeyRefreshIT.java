package io.lamina.warming;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lamina.CacheLoader;
import io.lamina.KeyCodecs;
import io.lamina.ProtectionConfig;
import io.lamina.TieredCache;
import io.lamina.TieredCacheConfig;
import io.lamina.ValueCodecs;
import io.lamina.caffeine.CaffeineLocalTier;
import io.lamina.redis.RedissonRemoteTier;
import io.lamina.testkit.server.RedisServer;
import io.lamina.testkit.server.WithRedis;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
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
 * Scheduled refresh on a real Redis: a key two instances keep reading never expires and is reloaded by one of
 * them per cycle; once nobody reads it, it expires; a write during a refresh wins.
 */
@WithRedis
@Timeout(60)
class HotKeyRefreshIT {

  private static final Duration L2_TTL = Duration.ofSeconds(3);
  private static final Duration AHEAD = Duration.ofMillis(1_500);
  private static final List<RedissonClient> CLIENTS = new ArrayList<>();
  private static RedisServer redis;

  private final List<AutoCloseable> opened = new ArrayList<>();
  private final Map<String, AtomicLong> versions = new ConcurrentHashMap<>();
  private final Map<String, AtomicInteger> loads = new ConcurrentHashMap<>();
  private volatile CountDownLatch gate = new CountDownLatch(0);
  private String namespace;

  private final CacheLoader<String, String> source = key -> {
    loads.computeIfAbsent(key, k -> new AtomicInteger()).incrementAndGet();
    String value = current(key);
    gate.await();
    return value;
  };

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
    namespace = "refresh-" + test.getTestMethod().orElseThrow().getName().replaceAll("[^A-Za-z0-9]", "")
        .toLowerCase();
  }

  @AfterEach
  void close() throws Exception {
    for (int i = opened.size() - 1; i >= 0; i--) {
      opened.get(i).close();
    }
  }

  private String current(String key) {
    return key + '@' + versions.computeIfAbsent(key, k -> new AtomicLong(1)).get();
  }

  private TieredCache<String, String> instance() {
    Config config = new Config();
    config.useSingleServer().setAddress(redis.url()).setTimeout(2_000).setRetryAttempts(1);
    RedissonClient client = Redisson.create(config);
    CLIENTS.add(client);
    TieredCache<String, String> cache = TieredCache.<String, String>newBuilder("products")
        .config(TieredCacheConfig.custom().namespace(namespace).l2Ttl(L2_TTL).l2TtlJitter(0)
            .l1ExpireAfterWrite(Duration.ofMillis(300)).l1TtlJitter(0)
            .protection(ProtectionConfig.custom().hotKeys(8).hotKeyWindow(Duration.ofSeconds(1)).build()).build())
        .local(CaffeineLocalTier.provider()).remote(RedissonRemoteTier.of(client))
        .valueCodec(ValueCodecs.utf8()).keyCodec(KeyCodecs.strings()).loader(source).build();
    opened.add(cache);
    return cache;
  }

  private HotKeyRefresher refresher(TieredCache<String, String> cache) {
    HotKeyRefresher r = HotKeyRefresher.start(cache, KeyCodecs.strings(), Duration.ofMillis(200), AHEAD, 100);
    opened.add(r);
    return r;
  }

  @Test
  void aKeyThatStaysHot_neverExpires_isReloadedByOneInstancePerCycle_andExpiresOnceNobodyReadsIt()
      throws Exception {
    TieredCache<String, String> a = instance();
    TieredCache<String, String> b = instance();
    HotKeyRefresher ra = refresher(a);
    HotKeyRefresher rb = refresher(b);
    assertThat(a.get("hot")).isEqualTo("hot@1");
    assertThat(b.get("hot")).isEqualTo("hot@1");
    long missesBefore = a.stats().l2().misses() + b.stats().l2().misses();
    AtomicBoolean reading = new AtomicBoolean(true);
    List<Thread> readers = new ArrayList<>();
    for (TieredCache<String, String> cache : List.of(a, b)) {
      Thread reader = new Thread(() -> {
        while (reading.get()) {
          cache.get("hot");
          LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(2)); // a steady reader, not a spinning one
        }
      });
      reader.start();
      readers.add(reader);
    }
    long start = System.nanoTime();
    Awaitility.await().pollDelay(Duration.ofSeconds(7)).atMost(Duration.ofSeconds(8)).until(() -> true);
    double seconds = (System.nanoTime() - start) / 1e9;
    long missesDuring = a.stats().l2().misses() + b.stats().l2().misses() - missesBefore;
    int reloads = loads.get("hot").get() - 1;
    reading.set(false);
    for (Thread r : readers) {
      r.join();
    }
    assertThat(missesDuring).as("reads that found L2's copy expired").isZero();
    assertThat(reloads).as("reloads ahead of expiry in %.1f s", seconds).isGreaterThanOrEqualTo(3);
    assertThat(ra.refreshed() + rb.refreshed()).as("every reload was a refresh that landed").isEqualTo(reloads);
    assertThat(reloads).as("at most one instance per cycle (a cycle is at least TTL - ahead)")
        .isLessThanOrEqualTo((int) (seconds / (L2_TTL.minus(AHEAD).toMillis() / 1000.0)) + 1);
    // Nobody reads it now: it leaves the hot-key window, is no longer refreshed, and expires.
    Awaitility.await().atMost(Duration.ofSeconds(15))
        .until(() -> Long.valueOf(0).equals(redis.commandWithKey("EXISTS", namespace + ":products:1:hot")));
  }

  @Test
  void aWriteDuringARefresh_wins() throws Exception {
    TieredCache<String, String> a = instance();
    assertThat(a.get("k")).isEqualTo("k@1");
    gate = new CountDownLatch(1);
    CompletableFuture<Boolean> refresh = CompletableFuture.supplyAsync(() -> a.refreshAhead("k", L2_TTL));
    Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> loads.get("k").get() == 2); // it read k@1
    versions.get("k").incrementAndGet();
    a.invalidate("k"); // cache-aside: the source changed, then the cache is told
    gate.countDown();
    assertThat(refresh.get(10, TimeUnit.SECONDS)).as("the refresh's fill was refused").isFalse();
    assertThat(a.get("k")).isEqualTo("k@2");
    assertThat(instance().get("k")).as("what L2 holds").isEqualTo("k@2");
  }

  @Test
  void aKeyFarFromExpiry_isNotReloaded() {
    TieredCache<String, String> a = instance();
    a.get("k");
    assertThat(a.refreshAhead("k", Duration.ofMillis(100))).isFalse();
    assertThat(a.refreshAhead("absent", L2_TTL)).isFalse();
    assertThat(loads.get("k").get()).isEqualTo(1);
    assertThat(loads).doesNotContainKey("absent");
  }

  @Test
  void settings_areChecked_namingThem() {
    TieredCache<String, String> a = instance();
    assertThatThrownBy(() -> HotKeyRefresher.start(a, KeyCodecs.strings(), Duration.ofSeconds(2),
        Duration.ofSeconds(1), 10)).hasMessageContaining("warming.refresh.ahead").hasMessageContaining("period");
    assertThatThrownBy(() -> HotKeyRefresher.start(a, KeyCodecs.strings(), Duration.ofSeconds(1),
        Duration.ofSeconds(5), 10)).hasMessageContaining("L2 TTL");
  }
}
