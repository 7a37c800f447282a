package io.lamina.quarkus.runtime;

import io.lamina.Redact;
import io.lamina.quarkus.runtime.LaminaConfig.Redis;
import io.quarkus.runtime.configuration.ConfigurationException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.redisson.Redisson;
import org.redisson.api.RedissonClient;
import org.redisson.config.BaseConfig;
import org.redisson.config.ClusterServersConfig;
import org.redisson.config.Config;
import org.redisson.config.SentinelServersConfig;
import org.redisson.config.TransportMode;

/**
 * The Redisson client Lamina creates from {@code quarkus.lamina.redis.*} when the application has none — one
 * server, a Cluster, a Sentinel master or a Redisson YAML file, exactly one — with NIO on the Netty the
 * application already runs (never Redisson's io_uring or epoll transports).
 */
final class RedisClients {

  private RedisClients() {}

  /** Whether {@code quarkus.lamina.redis.address}, {@code .config}, {@code .cluster.nodes} or {@code .sentinel.*} is set. */
  static boolean configured(Redis redis) {
    return !ways(redis).isEmpty();
  }

  private static List<String> ways(Redis redis) {
    List<String> ways = new ArrayList<>();
    if (redis.address().isPresent()) {
      ways.add("quarkus.lamina.redis.address");
    }
    if (redis.config().isPresent()) {
      ways.add("quarkus.lamina.redis.config");
    }
    if (redis.cluster().nodes().isPresent()) {
      ways.add("quarkus.lamina.redis.cluster.nodes");
    }
    if (redis.sentinel().master().isPresent() || redis.sentinel().nodes().isPresent()) {
      ways.add("quarkus.lamina.redis.sentinel");
    }
    return ways;
  }

  static RedissonClient create(Redis redis) {
    Config config = config(redis);
    config.setTransportMode(TransportMode.NIO);
    config.setLazyInitialization(!redis.required());
    try {
      return Redisson.create(config);
    } catch (RuntimeException e) {
      String where = redis.address().map(a -> "quarkus.lamina.redis.address=" + Redact.userInfo(a))
          .or(() -> redis.cluster().nodes().map(n -> "quarkus.lamina.redis.cluster.nodes=" + redacted(n)))
          .or(() -> redis.sentinel().master().map(m -> "quarkus.lamina.redis.sentinel.master=" + m
              + ", quarkus.lamina.redis.sentinel.nodes=" + redacted(redis.sentinel().nodes().orElse(List.of()))))
          .orElseGet(() -> "quarkus.lamina.redis.config=" + redis.config().orElse(""));
      throw new IllegalStateException("Redis cannot be reached (" + where + "), and quarkus.lamina.redis.required"
          + " is true: start Redis, correct the address, or set quarkus.lamina.redis.required=false to start"
          + " without it (" + Redact.userInfo(e.getMessage()) + ")", Redact.causes(e));
    }
  }

  static Config config(Redis redis) {
    if (redis.config().isPresent()) {
      String file = redis.config().get();
      if (redis.address().isPresent()) {
        throw new ConfigurationException("quarkus.lamina.redis.address=" + Redact.userInfo(redis.address().get())
            + " is not valid:"
            + " quarkus.lamina.redis.config is set too; give the address in one place",
            Set.of("quarkus.lamina.redis.address", "quarkus.lamina.redis.config"));
      }
      checkOneWay(redis);
      try (InputStream in = open(file)) {
        return Config.fromYAML(in);
      } catch (IOException | RuntimeException e) {
        throw Settings.invalid("quarkus.lamina.redis.config", file,
            "not a readable Redisson YAML configuration (a file path, or classpath:name): " + e.getMessage());
      }
    }
    checkOneWay(redis);
    Config config = new Config();
    BaseConfig<?> server;
    if (redis.cluster().nodes().isPresent()) {
      if (redis.database() != 0) {
        throw Settings.invalid("quarkus.lamina.redis.database", redis.database(),
            "a Redis Cluster has database 0 only; remove quarkus.lamina.redis.database");
      }
      ClusterServersConfig cluster = config.useClusterServers();
      cluster.addNodeAddress(checkedAll("quarkus.lamina.redis.cluster.nodes", redis.cluster().nodes().get())
          .toArray(new String[0]));
      server = cluster;
    } else if (redis.sentinel().master().isPresent() || redis.sentinel().nodes().isPresent()) {
      String master = redis.sentinel().master().filter(m -> !m.isBlank()).orElseThrow(() -> Settings.invalid(
          "quarkus.lamina.redis.sentinel.master", null, "name the master the sentinels monitor (their 'sentinel"
              + " monitor <name> ...'), beside quarkus.lamina.redis.sentinel.nodes"));
      List<String> nodes = redis.sentinel().nodes().orElse(List.of());
      if (nodes.isEmpty()) {
        throw Settings.invalid("quarkus.lamina.redis.sentinel.nodes", null,
            "list the sentinels, such as redis://10.0.0.1:26379,redis://10.0.0.2:26379");
      }
      SentinelServersConfig sentinel = config.useSentinelServers().setMasterName(master)
          .setDatabase(redis.database());
      sentinel.addSentinelAddress(checkedAll("quarkus.lamina.redis.sentinel.nodes", nodes).toArray(new String[0]));
      redis.sentinel().username().ifPresent(sentinel::setSentinelUsername);
      redis.sentinel().password().ifPresent(sentinel::setSentinelPassword);
      server = sentinel;
    } else {
      String address = checked("quarkus.lamina.redis.address", redis.address().orElse(null));
      server = config.useSingleServer().setAddress(address).setDatabase(redis.database());
    }
    server.setConnectTimeout(Math.toIntExact(redis.connectTimeout().toMillis()));
    server.setTimeout(Math.toIntExact(redis.timeout().toMillis()));
    redis.username().ifPresent(config::setUsername);
    redis.password().ifPresent(config::setPassword);
    return config;
  }

  private static void checkOneWay(Redis redis) {
    List<String> ways = ways(redis);
    if (ways.size() > 1) {
      throw new ConfigurationException(ways.get(1) + " is not valid: " + ways.get(0)
          + " is set too; say where Redis is in one way only", Set.copyOf(ways));
    }
  }

  /** Every address checked, all with one scheme: TLS is for the whole topology or none of it. */
  private static List<String> checkedAll(String property, List<String> addresses) {
    List<String> out = new ArrayList<>();
    for (int i = 0; i < addresses.size(); i++) {
      out.add(checked(property + "[" + i + "]", addresses.get(i).trim()));
    }
    if (out.stream().map(a -> a.startsWith("rediss://")).distinct().count() > 1) {
      throw Settings.invalid(property, redacted(out),
          "mixes redis:// and rediss://; use rediss:// for every node (TLS) or for none");
    }
    return out;
  }

  private static String checked(String property, @Nullable String address) {
    if (address == null || !(address.startsWith("redis://") || address.startsWith("rediss://"))) {
      throw Settings.invalid(property, address == null ? null : Redact.userInfo(address),
          "must start with redis:// (or rediss:// for TLS), such as redis://127.0.0.1:6379");
    }
    return address;
  }

  private static String redacted(List<String> addresses) {
    return String.join(",", addresses.stream().map(Redact::userInfo).toList());
  }

  private static InputStream open(String file) throws IOException {
    if (file.startsWith("classpath:")) {
      String name = file.substring("classpath:".length()).replaceFirst("^/", "");
      @Nullable InputStream in = Thread.currentThread().getContextClassLoader().getResourceAsStream(name);
      if (in == null) {
        throw new IOException("no resource " + name + " on the classpath");
      }
      return in;
    }
    return Files.newInputStream(Path.of(file));
  }
}
