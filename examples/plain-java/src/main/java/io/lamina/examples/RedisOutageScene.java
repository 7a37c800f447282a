package io.lamina.examples;

import io.lamina.TieredCache;
import io.lamina.testkit.server.RedisServer;
import java.io.PrintStream;
import java.time.Duration;
import org.jspecify.annotations.Nullable;

/**
 * Redis freezes (SIGSTOP: connections stay open, nothing answers), the way a stalled or failing-over server
 * looks to clients. Local hits go on; misses wait at most the remote timeout until the L2 circuit breaker opens,
 * then skip Redis at once; when the source fails too, an expired local entry is served (stale-if-error); after
 * Redis comes back the breaker closes again on its own.
 */
final class RedisOutageScene {

  /** What the scene saw. */
  record Outcome(long l1HitMicros, long firstMissMillis, long missAfterOpenMicros, String breakerDuringOutage,
      @Nullable Product staleServed, long recoveryMillis) {}

  private final PrintStream out;
  private final RedisServer redis;
  private final TieredCache<Long, Product> nodeA;
  private final TieredCache<Long, Product> nodeB;
  private final ProductRepository repository;

  RedisOutageScene(PrintStream out, RedisServer redis, TieredCache<Long, Product> nodeA,
      TieredCache<Long, Product> nodeB, ProductRepository repository) {
    this.out = out;
    this.redis = redis;
    this.nodeA = nodeA;
    this.nodeB = nodeB;
    this.repository = repository;
  }

  Outcome run() {
    for (long id = 100; id < 130; id++) {
      repository.save(id, "Filter #" + id, 990);
    }
    Product cached = nodeB.get(1L); // loaded just now: fresh in B's L1
    redis.pause();
    long l1Hit;
    long firstMiss;
    long afterOpen;
    String breaker;
    @Nullable Product stale;
    try {
      long t = System.nanoTime();
      nodeB.get(1L);
      l1Hit = (System.nanoTime() - t) / 1_000;
      out.printf("Redis frozen (SIGSTOP, pid %d). node B get(1), an L1 hit: %,d µs%n", redis.pid(), l1Hit);

      t = System.nanoTime();
      nodeB.get(100L);
      firstMiss = (System.nanoTime() - t) / 1_000_000;
      out.printf("node B get(100), a miss: Redis does not answer; after the remote timeout it loads from the "
          + "source: %,d ms%n", firstMiss);
      long id = 101;
      while (!breakerState(nodeB).equals("OPEN") && id < 130) {
        nodeB.get(id++);
      }
      breaker = breakerState(nodeB);
      t = System.nanoTime();
      nodeB.get(id);
      afterOpen = (System.nanoTime() - t) / 1_000;
      out.printf("after %d such misses node B's L2 breaker is %s; the next miss skips Redis: %,d µs%n",
          id - 100, breaker, afterOpen);

      repository.down(true);
      out.printf("the source fails too; node B's L1 entry for product 1 expires (%d s)...%n",
          PlainJavaDemo.L1_TTL.toSeconds());
      sleep(PlainJavaDemo.L1_TTL.plusMillis(200));
      stale = staleRead();
      out.printf("node B get(1): the source throws, so the expired entry is served (stale-if-error): %s "
          + "(stale served on error so far: %d)%n", stale, nodeB.stats().protection().staleServedOnError());
    } finally {
      repository.down(false);
      redis.resume();
    }
    long start = System.nanoTime();
    long probe = 200;
    while (!breakerState(nodeA).equals("CLOSED") || !breakerState(nodeB).equals("CLOSED")) {
      if (System.nanoTime() - start > Duration.ofSeconds(20).toNanos()) {
        throw new IllegalStateException("the breakers did not close within 20 s of Redis resuming");
      }
      repository.save(probe, "Probe #" + probe, 1);
      nodeA.get(probe);
      nodeB.get(probe++);
      sleep(Duration.ofMillis(100));
    }
    long recovery = Duration.ofNanos(System.nanoTime() - start).toMillis();
    out.printf("Redis resumed (SIGCONT); both breakers CLOSED again %,d ms later (an open breaker lets trial "
        + "calls through after 2 s)%n", recovery);
    long l2Hits = nodeB.stats().l2().hits();
    repository.save(300, "Mug", 1_500);
    nodeA.get(300L);
    nodeB.get(300L);
    out.printf("node A loads product 300 and stores it in Redis; node B reads it from L2: %s%n",
        nodeB.stats().l2().hits() > l2Hits ? "yes" : "no");
    return new Outcome(l1Hit, firstMiss, afterOpen, breaker, stale != null && stale.equals(cached) ? stale : null,
        recovery);
  }

  private @Nullable Product staleRead() {
    try {
      return nodeB.get(1L);
    } catch (RuntimeException e) {
      out.println("node B get(1) failed: " + e);
      return null;
    }
  }

  private static String breakerState(TieredCache<Long, Product> node) {
    return node.stats().protection().remoteBreakerState();
  }

  /** The demo waits out a TTL or paces a probe; there is no condition to wait for. */
  private static void sleep(Duration d) {
    try {
      Thread.sleep(d.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }
}
