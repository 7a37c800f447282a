package io.lamina.bus;

import io.lamina.TieredCache;
import io.nats.client.Connection;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.redisson.Redisson;
import org.redisson.api.RedissonClient;
import org.redisson.client.codec.StringCodec;
import org.redisson.config.Config;

/**
 * A cache node in its own JVM, driven over stdin/stdout by {@link SeparateProcessIT}: {@code get KEY} answers
 * the value (or {@code null}), {@code trusted} answers whether it trusts its L1, {@code quit} leaves. The loader
 * reads the source from a Redis hash {@code source} so that every process sees the same source of truth.
 */
public final class NodeProcess {

  private NodeProcess() {}

  public static void main(String[] args) throws Exception {
    String redisUrl = args[0];
    String natsUrl = args[1];
    Config config = new Config();
    config.useSingleServer().setAddress(redisUrl).setTimeout(1_000);
    RedissonClient redis = Redisson.create(config);
    Connection nats = NatsInvalidationBus.connect(natsUrl);
    TieredCache<String, String> cache = Nodes.node("procs", "items", redis, NatsInvalidationBus.of(nats),
        key -> redis.<String, String>getMap("source", StringCodec.INSTANCE).get(key),
        Duration.ofMillis(100), Duration.ofMillis(500));
    System.out.println("ready");
    BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    for (String line = in.readLine(); line != null; line = in.readLine()) {
      if (line.startsWith("get ")) {
        System.out.println("value " + cache.get(line.substring(4)));
      } else if (line.equals("trusted")) {
        System.out.println("trusted " + cache.coherence().trusted());
      } else if (line.equals("quit")) {
        break;
      }
    }
    cache.close();
    nats.close();
    redis.shutdown();
  }
}
