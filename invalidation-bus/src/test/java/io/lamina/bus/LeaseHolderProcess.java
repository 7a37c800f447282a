package io.lamina.bus;

import io.lamina.ProtectionConfig;
import io.lamina.TieredCache;
import io.lamina.TieredCacheConfig;
import io.nats.client.Connection;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import org.redisson.Redisson;
import org.redisson.api.RedissonClient;
import org.redisson.config.Config;

/**
 * A node in its own JVM whose loader never returns, for {@link ProtectionIT}: on {@code get KEY} it takes the
 * key's L2 lease, prints {@code loading} and hangs until the test kills it with {@code kill -9}.
 */
public final class LeaseHolderProcess {

  private LeaseHolderProcess() {}

  public static void main(String[] args) throws Exception {
    RedissonClient redis = Redisson.create(clientConfig(args[0]));
    Connection nats = NatsInvalidationBus.connect(args[1]);
    Duration lease = Duration.parse(args[2]);
    CountDownLatch never = new CountDownLatch(1);
    TieredCache<String, String> cache = Nodes.builder("guard", "items", redis, NatsInvalidationBus.of(nats),
            key -> {
              System.out.println("loading");
              never.await();
              return "never";
            }, Duration.ofMillis(100), Duration.ofMillis(500))
        .config(TieredCacheConfig.custom().namespace("guard").loadTimeout(lease)
            .protection(ProtectionConfig.custom().distributedSingleFlight(true).build()).build())
        .build();
    System.out.println("ready");
    BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    for (String line = in.readLine(); line != null; line = in.readLine()) {
      if (line.startsWith("get ")) {
        String key = line.substring(4);
        new Thread(() -> cache.get(key)).start();
      }
    }
    cache.close();
  }

  private static Config clientConfig(String url) {
    Config config = new Config();
    config.useSingleServer().setAddress(url).setTimeout(1_000);
    return config;
  }
}
