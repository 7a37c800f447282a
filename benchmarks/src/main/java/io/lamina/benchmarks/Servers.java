package io.lamina.benchmarks;

import io.lamina.bus.NatsInvalidationBus;
import io.lamina.testkit.server.NatsServer;
import io.lamina.testkit.server.RedisServer;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.codec.ByteArrayCodec;
import io.nats.client.Connection;
import io.nats.client.Nats;
import io.nats.client.Options;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;
import org.redisson.Redisson;
import org.redisson.api.RedissonClient;
import org.redisson.config.Config;

/**
 * A suite run's servers and clients: a {@code redis-server} and (if asked) a {@code nats-server} child process on
 * free loopback ports, started through the testkit, and the clients made on them; closing closes the clients,
 * then stops the servers.
 */
public final class Servers implements AutoCloseable {

  private final RedisServer redis;
  private final @Nullable NatsServer nats;
  private final List<AutoCloseable> clients = new ArrayList<>();

  private Servers(RedisServer redis, @Nullable NatsServer nats) {
    this.redis = redis;
    this.nats = nats;
  }

  /**
   * Starts Redis (pub/sub output buffers unlimited, so a burst of invalidations is never cut off) and, with
   * {@code withNats}, NATS.
   */
  public static Servers start(boolean withNats) {
    return start(withNats, false);
  }

  /** Starts Redis and, with {@code withNats}, NATS, with JetStream when {@code jetStream}. */
  public static Servers start(boolean withNats, boolean jetStream) {
    RedisServer redis = RedisServer.start("--client-output-buffer-limit", "pubsub", "0", "0", "0");
    try {
      return new Servers(redis, withNats ? NatsServer.start(jetStream) : null);
    } catch (RuntimeException e) {
      redis.close();
      throw e;
    }
  }

  public RedisServer redis() {
    return redis;
  }

  /** A new Redisson client on the Redis server (one per simulated node). */
  public RedissonClient redisson() {
    Config config = new Config();
    config.useSingleServer().setAddress(redis.url()).setTimeout(3_000).setConnectionMinimumIdleSize(4)
        .setConnectionPoolSize(32).setSubscriptionConnectionMinimumIdleSize(1);
    RedissonClient client = Redisson.create(config);
    clients.add(client::shutdown);
    return client;
  }

  /** A new Lettuce client on the Redis server. */
  public RedisClient lettuceClient() {
    RedisClient client = RedisClient.create(RedisURI.create(redis.url()));
    clients.add(client);
    return client;
  }

  /** A new Lettuce connection with byte-array keys and values. */
  public StatefulRedisConnection<byte[], byte[]> lettuce() {
    StatefulRedisConnection<byte[], byte[]> connection = lettuceClient().connect(ByteArrayCodec.INSTANCE);
    clients.add(connection);
    return connection;
  }

  /** A new NATS connection with the options Lamina's bus asks for. */
  public Connection nats() throws Exception {
    Connection c = NatsInvalidationBus.connect(natsServer().url());
    clients.add(c);
    return c;
  }

  /**
   * A new NATS connection with jnats' defaults: a raw baseline, whose publish waits for room in a full outgoing
   * queue (Lamina's connection discards instead, so that a writer never waits).
   */
  public Connection rawNats() throws Exception {
    Connection c = Nats.connect(Options.builder().server(natsServer().url()).build());
    clients.add(c);
    return c;
  }

  /** The NATS server. */
  public NatsServer natsServer() {
    return Objects.requireNonNull(nats, "this run started no NATS server");
  }

  /** Records the servers' versions in {@code report}. */
  public void describe(SuiteReport report) {
    String info = String.valueOf(redis.command("INFO", "server"));
    for (String line : info.lines().toList()) {
      if (line.startsWith("redis_version:")) {
        report.server("redis", line.substring("redis_version:".length()));
      }
    }
    if (nats != null) {
      String natsInfo = nats.info();
      int at = natsInfo.indexOf("\"version\":\"");
      if (at >= 0) {
        int from = at + "\"version\":\"".length();
        report.server("nats", natsInfo.substring(from, natsInfo.indexOf('"', from)));
      }
    }
  }

  /** Runs {@code closer} when the servers close (before the clients made here). */
  public void onClose(AutoCloseable closer) {
    clients.add(closer);
  }

  @Override
  public void close() {
    for (int i = clients.size() - 1; i >= 0; i--) {
      try {
        clients.get(i).close();
      } catch (Exception e) {
        System.err.println("[bench] closing a client failed: " + e);
      }
    }
    if (nats != null) {
      nats.close();
    }
    redis.close();
  }
}
