package io.lamina.examples;

import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.lamina.KeyCodecs;
import io.lamina.ProtectionConfig;
import io.lamina.TieredCache;
import io.lamina.TieredCacheConfig;
import io.lamina.TieredCacheStats;
import io.lamina.bus.NatsInvalidationBus;
import io.lamina.codec.fory.ForyValueCodec;
import io.lamina.redis.RedissonRemoteTier;
import io.lamina.testkit.server.NatsServer;
import io.lamina.testkit.server.RedisServer;
import io.nats.client.Connection;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.jspecify.annotations.Nullable;
import org.redisson.Redisson;
import org.redisson.api.RedissonClient;
import org.redisson.config.Config;

/**
 * Two cache instances ("nodes"), each with its own Redis and NATS connections, sharing one Redis and one bus:
 * per-tier hits; a write on node A that node B's L1 drops within milliseconds; a cold key asked for by 50
 * threads on both nodes that reaches the source once; and a Redis outage (the demo freezes the redis-server it
 * started) answered by the circuit breaker and stale-if-error, then recovery. Uses {@code LAMINA_REDIS_URL} /
 * {@code -Dlamina.redis.url} and {@code LAMINA_NATS_URL} / {@code -Dlamina.nats.url} when set (the outage is
 * then skipped: the demo freezes only a server it started); otherwise starts both servers on free loopback ports.
 */
public final class PlainJavaDemo {

  /** What the demo saw, for its test. */
  record Result(TieredCacheStats nodeA, TieredCacheStats nodeB, long dropMicros, int singleFlightCallers,
      int singleFlightSourceReads, RedisOutageScene.@Nullable Outcome outage) {}

  static final Duration L1_TTL = Duration.ofSeconds(3);

  private final PrintStream out;

  PlainJavaDemo(PrintStream out) {
    this.out = out;
  }

  public static void main(String[] args) {
    String redisUrl = setting("lamina.redis.url", "LAMINA_REDIS_URL");
    String natsUrl = setting("lamina.nats.url", "LAMINA_NATS_URL");
    RedisServer redis = redisUrl == null ? RedisServer.start() : RedisServer.external(redisUrl);
    NatsServer nats = natsUrl == null ? NatsServer.start(false) : NatsServer.external(natsUrl);
    try (redis; nats) {
      PrintStream out = System.out;
      out.println((redisUrl == null ? "started redis-server on " : "using Redis at ") + redis.url()
          + (natsUrl == null ? ", started nats-server on " : ", using NATS at ") + nats.url());
      new PlainJavaDemo(out).run(redis, redisUrl == null, nats);
    }
  }

  private static @Nullable String setting(String property, String variable) {
    String value = System.getProperty(property);
    if (value == null || value.isBlank()) {
      value = System.getenv(variable);
    }
    return value == null || value.isBlank() ? null : value;
  }

  /** Runs every scene; the outage only when {@code ownsRedis} (the demo may freeze that server). */
  Result run(RedisServer redis, boolean ownsRedis, NatsServer nats) {
    RedissonClient redisA = connect(redis.url());
    RedissonClient redisB = connect(redis.url());
    Connection natsA = natsConnect(nats.url());
    Connection natsB = natsConnect(nats.url());
    ProductRepository repository = new ProductRepository();
    try (TieredCache<Long, Product> nodeA = products(redisA, natsA, repository);
        TieredCache<Long, Product> nodeB = products(redisB, natsB, repository)) {
      nodeA.invalidateAll(); // start from an empty cache even on a shared Redis
      long waited = awaitTrusted(nodeA, nodeB);
      out.printf("both nodes hear the bus (their own heartbeats and each other's) after %,d ms: L1 is on%n",
          waited);
      repository.save(1, "Espresso machine", 34_900);

      out.println("\n== Tiers");
      show("node A get(1), cold: from the source", nodeA.get(1L), repository);
      show("node A get(1), again: an L1 hit", nodeA.get(1L), repository);
      show("node B get(1): B's L1 is empty, L2 has it", nodeB.get(1L), repository);
      nodeA.put(2L, repository.save(2, "Grinder", 12_500));
      show("node A wrote product 2 (with its row version); node B get(2), from L2", nodeB.get(2L), repository);
      show("node A get(3), which does not exist: a negative result, cached", nodeA.get(3L), repository);
      show("node B get(3): the negative result came from L2", nodeB.get(3L), repository);

      out.println("\n== Coherence: a write on node A, node B's L1");
      long dropMicros = dropOnB(nodeA, nodeB, repository);
      out.printf("node B dropped its L1 copy %,d µs after that%n", dropMicros);
      show("node B get(1): the new price", nodeB.get(1L), repository);

      out.println("\n== Stampede: one cold key, 50 threads on 2 nodes");
      int[] flight = singleFlight(nodeA, nodeB, repository);
      out.printf("%d callers (25 per node) got product 4; the source was read %d time(s) for it%n",
          flight[0], flight[1]);

      RedisOutageScene.Outcome outage = null;
      if (ownsRedis) {
        out.println("\n== Redis outage: the demo freezes its redis-server (SIGSTOP)");
        outage = new RedisOutageScene(out, redis, nodeA, nodeB, repository).run();
      } else {
        out.println("\n(Redis outage skipped: the demo freezes only a redis-server it started)");
      }

      out.println("\n== Stats");
      stats("node A", nodeA.stats());
      stats("node B", nodeB.stats());
      return new Result(nodeA.stats(), nodeB.stats(), dropMicros, flight[0], flight[1], outage);
    } finally {
      redisA.shutdown();
      redisB.shutdown();
      close(natsA);
      close(natsB);
    }
  }

  /** A node keeps L1 off until it has proved it hears the bus; returns how long that took. */
  private static long awaitTrusted(TieredCache<Long, Product> nodeA, TieredCache<Long, Product> nodeB) {
    long start = System.nanoTime();
    while (!nodeA.coherence().trusted() || !nodeB.coherence().trusted()) {
      if (System.nanoTime() - start > TimeUnit.SECONDS.toNanos(10)) {
        throw new IllegalStateException("the nodes did not trust their L1 within 10 s: is NATS reachable?");
      }
      LockSupport.parkNanos(1_000_000);
    }
    return (System.nanoTime() - start) / 1_000_000;
  }

  /** Changes product 1, invalidates it on A; returns how long after A's call returned B dropped its copy. */
  private long dropOnB(TieredCache<Long, Product> nodeA, TieredCache<Long, Product> nodeB,
      ProductRepository repository) {
    nodeB.get(1L); // in B's L1
    long dropped = nodeB.stats().l1().invalidations();
    repository.save(1, "Espresso machine", 29_900);
    long start = System.nanoTime();
    nodeA.invalidate(1L);
    long returned = System.nanoTime();
    long deadline = start + TimeUnit.SECONDS.toNanos(2);
    while (nodeB.stats().l1().invalidations() == dropped) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("node B did not drop product 1 within 2 s: is the bus connected?");
      }
      LockSupport.parkNanos(20_000);
    }
    long now = System.nanoTime();
    out.printf("node A's invalidate(1) returned after %,d µs (tombstone in Redis, message sent); ",
        (returned - start) / 1_000);
    return (now - returned) / 1_000;
  }

  /** 25 threads per node ask for one cold key at once while the source takes 200 ms; returns callers, reads. */
  private static int[] singleFlight(TieredCache<Long, Product> nodeA, TieredCache<Long, Product> nodeB,
      ProductRepository repository) {
    repository.save(4, "Kettle", 4_900);
    repository.latency(Duration.ofMillis(200));
    int before = repository.reads();
    ExecutorService pool = Executors.newFixedThreadPool(50);
    CountDownLatch gate = new CountDownLatch(1);
    List<Future<@Nullable Product>> answers = new ArrayList<>();
    try {
      for (int i = 0; i < 50; i++) {
        TieredCache<Long, Product> node = i % 2 == 0 ? nodeA : nodeB;
        answers.add(pool.submit(() -> {
          gate.await();
          return node.get(4L);
        }));
      }
      gate.countDown();
      int served = 0;
      for (Future<@Nullable Product> answer : answers) {
        served += answer.get(10, TimeUnit.SECONDS) != null ? 1 : 0;
      }
      return new int[] {served, repository.reads() - before};
    } catch (Exception e) {
      throw new IllegalStateException("the single-flight scene failed", e);
    } finally {
      repository.latency(Duration.ZERO);
      pool.shutdownNow();
    }
  }

  private static TieredCache<Long, Product> products(RedissonClient redis, Connection nats,
      ProductRepository repository) {
    return TieredCache.<Long, Product>newBuilder("products")
        .config(TieredCacheConfig.custom().namespace("demo").l1MaximumSize(10_000).l1ExpireAfterWrite(L1_TTL)
            .l2Ttl(Duration.ofMinutes(30)).negativeTtl(Duration.ofSeconds(30))
            .remoteTimeout(Duration.ofMillis(250))
            .protection(ProtectionConfig.custom()
                .distributedSingleFlight(true)
                .staleIfError(Duration.ofMinutes(1))
                .remoteBreaker(CircuitBreakerConfig.from(ProtectionConfig.DEFAULT_REMOTE_BREAKER)
                    .waitDurationInOpenState(Duration.ofSeconds(2)).build())
                .build())
            .build())
        .remote(RedissonRemoteTier.of(redis))
        .bus(NatsInvalidationBus.of(nats))
        .keyCodec(KeyCodecs.longs())
        .valueCodec(ForyValueCodec.builder(Product.class).build())
        .versionOf(Product::version)
        .loader(repository::find)
        .build();
  }

  private static RedissonClient connect(String url) {
    Config config = new Config();
    config.useSingleServer().setAddress(url).setTimeout(1_000).setConnectionMinimumIdleSize(1);
    return Redisson.create(config);
  }

  private static Connection natsConnect(String url) {
    try {
      return NatsInvalidationBus.connect(url);
    } catch (IOException e) {
      throw new UncheckedIOException("could not connect to NATS at " + url + "; set LAMINA_NATS_URL", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while connecting to NATS", e);
    }
  }

  private static void close(Connection connection) {
    try {
      connection.close();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  void show(String step, @Nullable Product value, ProductRepository repository) {
    out.printf("%-78s -> %s   [source reads so far: %d]%n", step, value, repository.reads());
  }

  private void stats(String node, TieredCacheStats s) {
    out.printf("%s: L1 hits %d misses %d | L2 hits %d misses %d puts %d | loads %d (negative %d) | "
            + "stale served on error %d | L2 calls refused by the breaker %d%n", node,
        s.l1().hits(), s.l1().misses(), s.l2().hits(), s.l2().misses(), s.l2().puts(), s.loads(),
        s.negativeLoads(), s.protection().staleServedOnError(), s.protection().remoteCallsRejected());
  }
}
