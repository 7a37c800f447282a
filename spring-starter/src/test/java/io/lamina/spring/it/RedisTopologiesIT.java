package io.lamina.spring.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.lamina.spring.LaminaCaches;
import io.lamina.spring.it.ItApp.Catalog;
import io.lamina.spring.it.ItApp.Product;
import io.lamina.spring.it.ItApp.Reads;
import io.lamina.testkit.server.RedisCluster;
import io.lamina.testkit.server.RedisSentinelGroup;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.redisson.api.RedissonClient;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Two instances configured only by properties — {@code lamina.redis.cluster.nodes} on a Redis Cluster, and Spring
 * Data Redis's {@code spring.data.redis.sentinel.*} on a Sentinel group — share L2 and the Redis bus: one
 * instance's load fills the other's reads, and its {@code @CachePut} reaches the other.
 */
class RedisTopologiesIT {

  private final List<AutoCloseable> resources = new ArrayList<>();

  @AfterEach
  void close() throws Exception {
    for (int i = resources.size() - 1; i >= 0; i--) {
      resources.get(i).close();
    }
    ItApp.ROWS.clear();
  }

  private ConfigurableApplicationContext instance(String... properties) {
    ConfigurableApplicationContext ctx = ItApp.start(false, properties);
    resources.add(ctx::close);
    return ctx;
  }

  private static void shareOneL2AndBus(ConfigurableApplicationContext a, ConfigurableApplicationContext b) {
    Awaitility.await().atMost(Duration.ofSeconds(15)).until(() -> List.of(a, b).stream()
        .allMatch(c -> c.getBean(LaminaCaches.class).get("products").coherence().trusted()));
    ItApp.ROWS.put(1L, new Product(1, "first"));
    assertThat(a.getBean(Catalog.class).find(1)).isEqualTo(new Product(1, "first"));
    assertThat(b.getBean(Catalog.class).find(1)).isEqualTo(new Product(1, "first"));
    assertThat(b.getBean(Reads.class).count()).as("B filled from L2, never read the source").isZero();
    a.getBean(Catalog.class).rename(1, "second");
    Awaitility.await().atMost(Duration.ofSeconds(2))
        .until(() -> b.getBean(Catalog.class).find(1).equals(new Product(1, "second")));
  }

  @Test
  void clusterNodes_twoInstancesShareTheClusterAsL2AndBus() {
    RedisCluster cluster = RedisCluster.start();
    resources.add(cluster);
    String nodes = String.join(",", cluster.addresses());
    String[] props = {"lamina.namespace=cluster-it", "lamina.redis.cluster.nodes=" + nodes, "lamina.bus.type=redis",
        "lamina.caches.products.value-types=" + Product.class.getName()};
    ConfigurableApplicationContext a = instance(props);
    ConfigurableApplicationContext b = instance(props);
    assertThat(a.getBean(RedissonClient.class).getConfig().isClusterConfig()).isTrue();
    shareOneL2AndBus(a, b);
  }

  @Test
  void springDataRedisSentinel_isUsed_whenLaminaHasNoRedisSettings() {
    RedisSentinelGroup group = RedisSentinelGroup.start();
    resources.add(group);
    String sentinels = group.sentinels().stream().map(s -> s.host() + ":" + s.port()).collect(Collectors.joining(","));
    String[] props = {"lamina.namespace=sentinel-it", "spring.data.redis.sentinel.master="
        + RedisSentinelGroup.MASTER_NAME, "spring.data.redis.sentinel.nodes=" + sentinels, "lamina.bus.type=redis",
        "lamina.caches.products.value-types=" + Product.class.getName()};
    ConfigurableApplicationContext a = instance(props);
    ConfigurableApplicationContext b = instance(props);
    assertThat(a.getBean(RedissonClient.class).getConfig().isSentinelConfig()).isTrue();
    shareOneL2AndBus(a, b);
  }
}
