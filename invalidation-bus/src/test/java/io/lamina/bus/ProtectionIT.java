package io.lamina.bus;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.lamina.CacheLoader;
import io.lamina.KeyCodecs;
import io.lamina.ProtectionConfig;
import io.lamina.TieredCache;
import io.lamina.TieredCacheConfig;
import io.lamina.ValueCodecs;
import io.lamina.redis.RedissonKeyFilter;
import io.lamina.redis.RedissonRemoteTier;
import io.lamina.spi.KeyFilter;
import io.lamina.testkit.server.NatsServer;
import io.lamina.testkit.server.RedisServer;
import io.nats.client.Connection;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.redisson.api.RBatch;
import org.redisson.api.RFuture;
import org.redisson.api.RedissonClient;

/**
 * Protection on real servers (redis-server and nats-server child processes), each scenario with a measured
 * pass criterion: cluster-wide single-flight, a hot key past its TTL, absent keys, a lease holder killed
 * mid-load, and the L2 breaker through a Redis kill and a pause during half-open.
 */
@Timeout(120)
class ProtectionIT {

  private static final Duration H = Duration.ofMillis(100);
  private static final Duration D = Duration.ofMillis(500);

  private final List<AutoCloseable> resources = new ArrayList<>();
  private final List<TieredCache<String, String>> nodes = new ArrayList<>();
  private final AtomicInteger sourceCalls = new AtomicInteger();
  private final ExecutorService pool = Executors.newCachedThreadPool();
  private RedisServer redis;
  private NatsServer nats;

  @AfterEach
  void close() throws Exception {
    pool.shutdownNow();
    nodes.forEach(TieredCache::close);
    for (int i = resources.size() - 1; i >= 0; i--) {
      resources.get(i).close();
    }
  }

  private void servers() {
    redis = RedisServer.start();
    resources.add(redis);
    nats = NatsServer.start(false);
    resources.add(nats);
  }

  private RedissonClient client() {
    RedissonClient client = RedisPubSubBusIT.client(redis);
    resources.add(client::shutdown);
    return client;
  }

  /** A node with its own Redis and NATS connections. */
  private TieredCache<String, String> node(TieredCacheConfig.Builder config, CacheLoader<String, String> loader)
      throws Exception {
    return node(config, loader, Duration.ofMillis(500));
  }

  /**
   * A node whose L2 calls may take {@code remoteTimeout}: tests that count source calls per key give L2 room, so
   * a call timing out on a busy machine (then the key is loaded again, rightly) does not pass for a double load.
   */
  private TieredCache<String, String> node(TieredCacheConfig.Builder config, CacheLoader<String, String> loader,
      Duration remoteTimeout) throws Exception {
    Connection connection = NatsInvalidationBus.connect(nats.url());
    resources.add(connection::close);
    TieredCache<String, String> node = Nodes.builder("guard", "items", client(),
            NatsInvalidationBus.of(connection), loader, H, D)
        .config(config.namespace("guard").remoteTimeout(remoteTimeout).build())
        .build();
    nodes.add(node);
    return node;
  }

  private String slowSource(String key) throws InterruptedException {
    sourceCalls.incrementAndGet();
    Thread.sleep(50);
    return "v:" + key;
  }

  private void cluster(int n, ProtectionConfig protection) throws Exception {
    servers();
    for (int i = 0; i < n; i++) {
      node(TieredCacheConfig.custom().protection(protection), this::slowSource);
    }
    Nodes.awaitTrusted(nodes, Duration.ofSeconds(10));
  }

  /** 64 callers on each node ask for {@code key} at once; returns the values. */
  private List<String> stampede(String key) throws Exception {
    return Nodes.stampede(pool, nodes, key, 64);
  }

  @Test
  void aColdKey_64CallersOn3Nodes_oneSourceCallWithDistributedSingleFlight() throws Exception {
    cluster(3, ProtectionConfig.custom().distributedSingleFlight(true).build());
    for (int round = 0; round < 10; round++) {
      sourceCalls.set(0);
      String key = "cold" + round;
      assertThat(stampede(key)).hasSize(192).allMatch(("v:" + key)::equals);
      assertThat(sourceCalls.get()).as("round %d", round).isEqualTo(1);
    }
    long wakeUps = nodes.stream().mapToLong(n -> n.stats().protection().wakeUps()).sum();
    System.out.printf("cold key, 64 x 3 callers, 10 rounds: 1 source call per round; %d waits ended by a wake-up%n",
        wakeUps);
    assertThat(wakeUps).isPositive();
  }

  @Test
  void aColdKey_withoutDistributedSingleFlight_atMostOneSourceCallPerNode() throws Exception {
    cluster(3, ProtectionConfig.ofDefaults());
    for (int round = 0; round < 5; round++) {
      sourceCalls.set(0);
      String key = "cold" + round;
      assertThat(stampede(key)).allMatch(("v:" + key)::equals);
      assertThat(sourceCalls.get()).as("round %d", round).isBetween(1, 3);
    }
  }

  @Test
  void aHotKeyPastItsTtl_under500RequestsPerSecond_oneSourceCallPerWindow_andNoCallerWaits() throws Exception {
    servers();
    Duration ttl = Duration.ofSeconds(1);
    AtomicLong loadNanos = new AtomicLong(TimeUnit.MILLISECONDS.toNanos(100));
    for (int i = 0; i < 3; i++) {
      node(TieredCacheConfig.custom().l1ExpireAfterWrite(ttl).l1TtlJitter(0).l2Ttl(ttl).l2TtlJitter(0)
          .protection(ProtectionConfig.custom().distributedSingleFlight(true)
              .staleWhileRevalidate(Duration.ofSeconds(5)).earlyRefreshBeta(0).build()), key -> {
                sourceCalls.incrementAndGet();
                Thread.sleep(TimeUnit.NANOSECONDS.toMillis(loadNanos.get()));
                return "v" + System.nanoTime();
              });
    }
    Nodes.awaitTrusted(nodes, Duration.ofSeconds(10));
    for (TieredCache<String, String> n : nodes) {
      n.get("hot"); // warm: these callers may wait
    }
    sourceCalls.set(0);
    Duration run = Duration.ofSeconds(6);
    long end = System.nanoTime() + run.toNanos();
    AtomicLong worstNanos = new AtomicLong();
    AtomicLong calls = new AtomicLong();
    List<Future<?>> readers = new ArrayList<>();
    for (TieredCache<String, String> n : nodes) {
      readers.add(pool.submit(() -> {
        long next = System.nanoTime();
        while (System.nanoTime() < end) {
          long start = System.nanoTime();
          n.get("hot");
          worstNanos.accumulateAndGet(System.nanoTime() - start, Math::max);
          calls.incrementAndGet();
          // ~167 per node, 500 per second in all: paced by a schedule, so an oversleep is made up
          next += 6_000_000;
          LockSupport.parkNanos(next - System.nanoTime());
        }
        return null;
      }));
    }
    for (Future<?> f : readers) {
      f.get(60, TimeUnit.SECONDS);
    }
    long windows = run.toMillis() / ttl.toMillis();
    System.out.printf("hot key, %d calls in %d s over 3 nodes: %d source calls for %d TTL windows, slowest caller"
        + " %d ms (the loader takes 100 ms), stale served %d%n", calls.get(), run.toSeconds(), sourceCalls.get(),
        windows, TimeUnit.NANOSECONDS.toMillis(worstNanos.get()),
        nodes.stream().mapToLong(n -> n.stats().protection().staleServed()).sum());
    assertThat(calls.get()).isGreaterThan(windows * 300);
    assertThat(sourceCalls.get()).as("at most one per window, cluster-wide").isBetween(1, (int) windows + 1);
    assertThat(worstNanos.get()).as("no caller waited for the loader")
        .isLessThan(TimeUnit.MILLISECONDS.toNanos(100));
  }

  @Test
  void absentKeys_areLoadedOncePerKey_andEveryNegativeEntryInRedisExpires() throws Exception {
    servers();
    ConcurrentHashMap<String, AtomicInteger> perKey = new ConcurrentHashMap<>();
    TieredCache<String, String> node = node(TieredCacheConfig.custom().l1MaximumSize(10_000)
        .negativeTtl(Duration.ofMinutes(5)), key -> {
          perKey.computeIfAbsent(key, k -> new AtomicInteger()).incrementAndGet();
          return null;
        }, Duration.ofSeconds(10));
    int keys = 100_000;
    List<Future<?>> work = new ArrayList<>();
    for (int t = 0; t < 4; t++) {
      int offset = t;
      work.add(pool.submit(() -> {
        for (int round = 0; round < 2; round++) {
          for (int i = offset; i < keys; i += 4) {
            assertThat(node.get("absent" + i)).isNull();
          }
        }
        return null;
      }));
    }
    for (Future<?> f : work) {
      f.get(120, TimeUnit.SECONDS);
    }
    assertThat(perKey).hasSize(keys);
    assertThat(perKey.values()).allMatch(c -> c.get() == 1);
    Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> node.stats().l1().size() <= 10_000);
    RedissonClient inspector = client();
    List<String> stored = new ArrayList<>();
    inspector.getKeys().getKeysByPattern("guard:items:*").forEach(stored::add);
    RBatch batch = inspector.createBatch();
    List<RFuture<Long>> ttls = new ArrayList<>();
    for (String k : stored) {
      ttls.add(batch.getBucket(k).remainTimeToLiveAsync());
    }
    batch.execute();
    long withoutTtl = ttls.stream().filter(f -> f.toCompletableFuture().join() < 0).count();
    System.out.printf("absent keys: %d keys, %d source calls, %d negative entries in Redis, %d without TTL, L1 size"
        + " %d%n", keys, perKey.values().stream().mapToInt(AtomicInteger::get).sum(), stored.size(), withoutTtl,
        node.stats().l1().size());
    assertThat(stored).hasSize(keys);
    assertThat(withoutTtl).isZero();
  }

  @Test
  void withABloomFilter_absentKeysNeverReachTheSource_andExistingOnesAlwaysDo() throws Exception {
    servers();
    int existing = 10_000;
    int absent = 100_000;
    KeyFilter filter = RedissonKeyFilter.newBuilder(client(), "guard", "items")
        .expectedInsertions(2L * existing).falseProbability(0.001)
        .callTimeout(Duration.ofSeconds(10)).buildTimeout(Duration.ofSeconds(60)).build(); // room on a busy machine
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < existing; i++) {
      ids.add("row" + i);
    }
    filter.rebuild(ids); // what the application does at start-up, from its source
    ConcurrentHashMap<String, AtomicInteger> perKey = new ConcurrentHashMap<>();
    Connection connection = NatsInvalidationBus.connect(nats.url());
    resources.add(connection::close);
    TieredCache<String, String> node = Nodes.builder("guard", "items", client(), NatsInvalidationBus.of(connection),
            key -> {
              perKey.computeIfAbsent(key, k -> new AtomicInteger()).incrementAndGet();
              return key.startsWith("row") ? "v:" + key : null;
            }, H, D)
        .config(TieredCacheConfig.custom().namespace("guard").l1MaximumSize(10_000).build())
        .keyFilter(filter)
        .build();
    nodes.add(node);
    for (int i = 0; i < absent; i++) {
      assertThat(node.get("absent" + i)).isNull();
    }
    long absentCalls = perKey.entrySet().stream().filter(e -> e.getKey().startsWith("absent"))
        .mapToLong(e -> e.getValue().get()).sum();
    for (int i = 0; i < existing; i++) {
      assertThat(node.get("row" + i)).as("no false negative").isEqualTo("v:row" + i);
    }
    long redisEntries = 0;
    for (String ignored : client().getKeys().getKeysByPattern("guard:items:1:absent*")) {
      redisEntries++;
    }
    System.out.printf("Bloom filter: %d absent keys never added -> %d source calls (false positives), %d filtered,"
        + " %d negative entries written to Redis; %d existing keys all loaded%n", absent, absentCalls,
        node.stats().protection().filteredMisses(), redisEntries, existing);
    assertThat(perKey.keySet().stream().filter(k -> k.startsWith("row")).count()).isEqualTo(existing);
    // The filter's own false positives (0.1 % configured) may reach the source; everything else never does.
    assertThat(absentCalls).isLessThanOrEqualTo(absent / 200);
    assertThat(node.stats().protection().filteredMisses()).isEqualTo(absent - absentCalls);
  }

  @Test
  void aLeaseHolderKilledMidLoad_anotherNodeLoadsAfterTheLeaseExpires() throws Exception {
    servers();
    Duration lease = Duration.ofSeconds(2);
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Process holder = new ProcessBuilder(List.of(java, "-cp", System.getProperty("java.class.path"),
        LeaseHolderProcess.class.getName(), redis.url(), nats.url(), lease.toString()))
        .redirectError(ProcessBuilder.Redirect.DISCARD).start();
    resources.add(holder::destroyForcibly);
    PrintWriter toHolder = new PrintWriter(holder.getOutputStream(), true, StandardCharsets.UTF_8);
    BufferedReader fromHolder = new BufferedReader(new InputStreamReader(holder.getInputStream(),
        StandardCharsets.UTF_8));
    assertThat(fromHolder.readLine()).isEqualTo("ready");
    for (int i = 0; i < 2; i++) {
      node(TieredCacheConfig.custom().loadTimeout(lease)
          .protection(ProtectionConfig.custom().distributedSingleFlight(true).build()), this::slowSource);
    }
    Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> nodes.stream().allMatch(n -> n.coherence().trusted()));
    long start = System.nanoTime(); // before the lease is granted, so the lease's whole life lies after it
    toHolder.println("get k");
    assertThat(fromHolder.readLine()).isEqualTo("loading"); // it holds the lease now
    List<CompletableFuture<Long>> waiters = new ArrayList<>();
    for (TieredCache<String, String> n : nodes) {
      for (int t = 0; t < 8; t++) {
        waiters.add(CompletableFuture.supplyAsync(() -> {
          long s = System.nanoTime();
          assertThat(n.get("k")).isEqualTo("v:k");
          return System.nanoTime() - s;
        }, pool));
      }
    }
    Awaitility.await().atMost(Duration.ofSeconds(5))
        .until(() -> nodes.stream().mapToLong(n -> n.stats().protection().leaseWaits()).sum() == 2);
    new ProcessBuilder("kill", "-9", Long.toString(holder.pid())).start().waitFor();
    assertThat(holder.waitFor(10, TimeUnit.SECONDS)).isTrue();
    List<Long> waited = new ArrayList<>();
    for (CompletableFuture<Long> w : waiters) {
      waited.add(w.get(30, TimeUnit.SECONDS));
    }
    Duration longest = Duration.ofNanos(Collections.max(waited));
    System.out.printf("lease holder killed mid-load: survivors made %d source call(s); longest wait %d ms (lease %d"
        + " ms + remote timeout 500 ms + a 50 ms load)%n", sourceCalls.get(), longest.toMillis(), lease.toMillis());
    assertThat(sourceCalls.get()).as("one survivor loads, after the lease expired").isEqualTo(1);
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThan(lease.minusMillis(200));
    assertThat(longest).isLessThan(lease.plusMillis(500).plusMillis(50).plusMillis(500));
  }

  @Test
  void redisKilled_thenPausedDuringHalfOpen_theBreakerOpens_callsStayFast_andNothingSticks() throws Exception {
    redis = RedisServer.start();
    resources.add(redis);
    Duration callTimeout = Duration.ofMillis(200);
    CircuitBreakerConfig breaker = CircuitBreakerConfig.custom().slidingWindowSize(10).minimumNumberOfCalls(5)
        .failureRateThreshold(50).waitDurationInOpenState(Duration.ofSeconds(1))
        .permittedNumberOfCallsInHalfOpenState(2).maxWaitDurationInHalfOpenState(Duration.ofSeconds(2)).build();
    TieredCache<String, String> node = TieredCache.<String, String>newBuilder("items")
        .config(TieredCacheConfig.custom().namespace("breaker").remoteTimeout(callTimeout)
            .protection(ProtectionConfig.custom().remoteBreaker(breaker).build()).build())
        .remote(RedissonRemoteTier.of(client()))
        .keyCodec(KeyCodecs.strings())
        .valueCodec(ValueCodecs.utf8())
        .loader(key -> "v:" + key)
        .build();
    nodes.add(node);
    node.get("warm");
    // One caller every 2 ms through the whole scenario, each call a new key (so each one needs L2).
    List<Long> latencies = Collections.synchronizedList(new ArrayList<>());
    AtomicInteger n = new AtomicInteger();
    AtomicBoolean running = new AtomicBoolean(true);
    Future<?> caller = pool.submit(() -> {
      while (running.get()) {
        long s = System.nanoTime();
        assertThat(node.get("k" + n.incrementAndGet())).startsWith("v:");
        latencies.add(System.nanoTime() - s);
        assertThat(node.get("warm")).isEqualTo("v:warm"); // L1 keeps serving
        LockSupport.parkNanos(2_000_000);
      }
      return null;
    });
    redis.kill();
    Awaitility.await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(10))
        .until(() -> node.stats().protection().remoteBreakerState().equals("OPEN"));
    long failuresToOpen = node.stats().remoteFailures();
    redis.restart();
    redis.pause(); // back, but frozen: the half-open trial calls will hang
    Awaitility.await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(10))
        .until(() -> node.stats().remoteFailures() > failuresToOpen); // a half-open trial call timed out
    Awaitility.await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(10))
        .until(() -> node.stats().protection().remoteBreakerState().equals("OPEN"));
    redis.resume();
    Awaitility.await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(10))
        .until(() -> node.stats().protection().remoteBreakerState().equals("CLOSED"));
    running.set(false);
    caller.get(10, TimeUnit.SECONDS);
    List<Long> sorted = new ArrayList<>(latencies);
    Collections.sort(sorted);
    long p99 = sorted.get((int) Math.ceil(sorted.size() * 0.99) - 1);
    long over = sorted.stream().filter(l -> l > callTimeout.plusMillis(10).toNanos()).count();
    System.out.printf("L2 breaker: opened after %d failed calls; %d calls through kill, restart, pause in half-open,"
        + " resume: p50 %.1f ms, p99 %.1f ms, max %.1f ms, %d over %d ms (call timeout %d ms); %d L2 calls not"
        + " made while open%n", failuresToOpen, sorted.size(), sorted.get(sorted.size() / 2) / 1e6, p99 / 1e6,
        sorted.get(sorted.size() - 1) / 1e6, over, callTimeout.toMillis() + 10, callTimeout.toMillis(),
        node.stats().protection().remoteCallsRejected());
    assertThat(failuresToOpen).isPositive();
    assertThat(node.stats().protection().remoteCallsRejected()).isPositive();
    assertThat(p99).as("p99 of %d calls", sorted.size()).isLessThanOrEqualTo(callTimeout.plusMillis(10).toNanos());
    // Converged: a fresh value goes through L2 again.
    assertThat(node.get("after")).isEqualTo("v:after");
    TieredCache<String, String> other = TieredCache.<String, String>newBuilder("items")
        .config(TieredCacheConfig.custom().namespace("breaker").build())
        .remote(RedissonRemoteTier.of(client())).keyCodec(KeyCodecs.strings()).valueCodec(ValueCodecs.utf8())
        .build();
    nodes.add(other);
    assertThat(other.getIfPresent("after")).as("stored in L2 once closed").isEqualTo("v:after");
  }
}
