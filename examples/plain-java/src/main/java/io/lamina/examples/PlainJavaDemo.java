package io.lamina.examples;

import io.lamina.KeyCodecs;
import io.lamina.TieredCache;
import io.lamina.TieredCacheConfig;
import io.lamina.TieredCacheStats;
import io.lamina.codec.fory.ForyValueCodec;
import io.lamina.redis.RedissonRemoteTier;
import io.lamina.testkit.server.RedisServer;
import java.io.PrintStream;
import java.time.Duration;
import org.jspecify.annotations.Nullable;
import org.redisson.Redisson;
import org.redisson.api.RedissonClient;
import org.redisson.config.Config;

/**
 * Two cache instances ("nodes"), each with its own Redis connection, sharing one Redis: per-tier hits, a write
 * on one node read on the other, and the stats. Uses {@code LAMINA_REDIS_URL} / {@code -Dlamina.redis.url} when
 * set; otherwise starts a local {@code redis-server} on a free loopback port and stops it at the end.
 */
public final class PlainJavaDemo {

  private final PrintStream out;

  PlainJavaDemo(PrintStream out) {
    this.out = out;
  }

  public static void main(String[] args) {
    new PlainJavaDemo(System.out).run(redisUrl());
  }

  private static @Nullable String redisUrl() {
    String url = System.getProperty("lamina.redis.url");
    if (url == null || url.isBlank()) {
      url = System.getenv("LAMINA_REDIS_URL");
    }
    return url == null || url.isBlank() ? null : url;
  }

  /** Runs the demo against {@code url}, or an embedded redis-server when null; returns node B's stats. */
  TieredCacheStats run(@Nullable String url) {
    RedisServer embedded = null;
    if (url == null) {
      embedded = RedisServer.start();
      url = embedded.url();
      out.println("started redis-server on " + url + " (set LAMINA_REDIS_URL to use your own)");
    }
    RedissonClient connectionA = connect(url);
    RedissonClient connectionB = connect(url);
    ProductRepository repository = new ProductRepository();
    try (TieredCache<Long, Product> nodeA = products(connectionA, repository);
        TieredCache<Long, Product> nodeB = products(connectionB, repository)) {
      nodeA.invalidateAll(); // start from an empty cache even on a shared Redis
      repository.save(1, "Espresso machine", 34_900);

      show("node A get(1), cold", nodeA.get(1L), repository);
      show("node A get(1), again: an L1 hit", nodeA.get(1L), repository);
      show("node B get(1): B's L1 is empty, L2 has it", nodeB.get(1L), repository);

      Product updated = repository.save(2, "Grinder", 12_500);
      nodeA.put(2L, updated);
      show("node A wrote product 2 (with its row version); node B get(2)", nodeB.get(2L), repository);

      repository.save(1, "Espresso machine", 29_900);
      nodeA.invalidate(1L);
      show("price of 1 changed, node A invalidated it; node A get(1)", nodeA.get(1L), repository);
      show("node B get(1) from its own L1 (until the invalidation bus tells it, or its L1 entry expires)",
          nodeB.get(1L), repository);
      show("node A get(3), which does not exist: a negative result, cached", nodeA.get(3L), repository);
      show("node B get(3): the negative result came from L2", nodeB.get(3L), repository);

      stats("node A", nodeA.stats());
      stats("node B", nodeB.stats());
      return nodeB.stats();
    } finally {
      connectionA.shutdown();
      connectionB.shutdown();
      if (embedded != null) {
        embedded.close();
      }
    }
  }

  private static TieredCache<Long, Product> products(RedissonClient redis, ProductRepository repository) {
    return TieredCache.<Long, Product>newBuilder("products")
        .config(TieredCacheConfig.custom().namespace("demo").l1MaximumSize(10_000)
            .l2Ttl(Duration.ofMinutes(30)).negativeTtl(Duration.ofSeconds(30)).build())
        .remote(RedissonRemoteTier.of(redis))
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

  private void show(String step, @Nullable Product value, ProductRepository repository) {
    out.printf("%-100s -> %s   [source reads so far: %d]%n", step, value, repository.reads());
  }

  private void stats(String node, TieredCacheStats s) {
    out.printf("%s: L1 hits %d misses %d | L2 hits %d misses %d puts %d | loads %d (negative %d)%n", node,
        s.l1().hits(), s.l1().misses(), s.l2().hits(), s.l2().misses(), s.l2().puts(), s.loads(),
        s.negativeLoads());
  }
}
