package io.lamina.spring.autoconfigure;

import io.lamina.Redact;
import io.lamina.spring.autoconfigure.LaminaProperties.Redis;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.redisson.config.BaseConfig;
import org.redisson.config.ClusterServersConfig;
import org.redisson.config.Config;
import org.redisson.config.SentinelServersConfig;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.core.env.Environment;
import org.springframework.core.io.Resource;

/**
 * The Redisson configuration of the client the starter creates: one server ({@code lamina.redis.address}), a
 * Cluster ({@code lamina.redis.cluster.nodes}), a Sentinel master ({@code lamina.redis.sentinel.*}) or a YAML file
 * ({@code lamina.redis.config}) — exactly one. When none of them is set, the application's own
 * {@code spring.data.redis.*} settings (url, host and port, cluster, sentinel) are used, so a service already
 * configured for Spring Data Redis needs nothing more. Every error names the property to correct.
 */
final class RedisTopology {

  private static final String LAMINA = "lamina.redis.";
  private static final String SPRING = "spring.data.redis.";

  private RedisTopology() {}

  /** Whether Lamina's own Redis properties or Spring Data Redis's say where Redis is. */
  static boolean configured(Environment env) {
    return hasLamina(env) || hasSpring(env);
  }

  private static boolean hasLamina(Environment env) {
    return laminaSetting(env) != null;
  }

  /** The first of Lamina's own properties that says where Redis is, as the user wrote it; null when none is set. */
  static @Nullable String laminaSetting(Environment env) {
    for (String name : List.of("address", "config", "cluster.nodes", "cluster.nodes[0]", "sentinel.master",
        "sentinel.nodes", "sentinel.nodes[0]")) {
      if (env.containsProperty(LAMINA + name)) {
        return LAMINA + name.replace("[0]", "");
      }
    }
    return null;
  }

  private static boolean hasSpring(Environment env) {
    return env.containsProperty(SPRING + "url") || env.containsProperty(SPRING + "host")
        || env.containsProperty(SPRING + "cluster.nodes") || env.containsProperty(SPRING + "cluster.nodes[0]")
        || env.containsProperty(SPRING + "sentinel.master");
  }

  /** Where the client connects, for an error message (credentials redacted). */
  static String describe(Redis redis, Environment env) {
    if (redis.getAddress() != null) {
      return "lamina.redis.address=" + Redact.userInfo(redis.getAddress());
    }
    if (redis.getConfig() != null) {
      return "lamina.redis.config=" + redis.getConfig();
    }
    if (!redis.getCluster().getNodes().isEmpty()) {
      return "lamina.redis.cluster.nodes=" + redacted(redis.getCluster().getNodes());
    }
    if (redis.getSentinel().getMaster() != null) {
      return "lamina.redis.sentinel.master=" + redis.getSentinel().getMaster() + ", lamina.redis.sentinel.nodes="
          + redacted(redis.getSentinel().getNodes());
    }
    return "spring.data.redis.* (" + springSettings(env).describe() + ")";
  }

  static Config config(Redis redis, Environment env) {
    List<String> ways = new ArrayList<>();
    if (redis.getAddress() != null) {
      ways.add("lamina.redis.address");
    }
    if (redis.getConfig() != null) {
      ways.add("lamina.redis.config");
    }
    if (!redis.getCluster().getNodes().isEmpty()) {
      ways.add("lamina.redis.cluster.nodes");
    }
    if (redis.getSentinel().getMaster() != null || !redis.getSentinel().getNodes().isEmpty()) {
      ways.add("lamina.redis.sentinel");
    }
    if (ways.size() > 1) {
      throw new InvalidConfigurationPropertyValueException(ways.get(1), "(set)",
          ways.get(0) + " is set too; say where Redis is in one way only");
    }
    if (ways.isEmpty()) {
      return springSettings(env).config(redis);
    }
    Resource file = redis.getConfig();
    if (file != null) {
      try (InputStream in = file.getInputStream()) {
        return Config.fromYAML(in);
      } catch (IOException | RuntimeException e) {
        throw new InvalidConfigurationPropertyValueException("lamina.redis.config", file,
            "not a readable Redisson YAML configuration: " + e.getMessage());
      }
    }
    Config config = new Config();
    if (redis.getAddress() != null) {
      String address = checked("lamina.redis.address", redis.getAddress());
      common(config.useSingleServer().setAddress(address).setDatabase(redis.getDatabase()), redis);
    } else if (!redis.getCluster().getNodes().isEmpty()) {
      if (redis.getDatabase() != 0) {
        throw new InvalidConfigurationPropertyValueException("lamina.redis.database", redis.getDatabase(),
            "a Redis Cluster has database 0 only; remove lamina.redis.database");
      }
      cluster(config, "lamina.redis.cluster.nodes", redis.getCluster().getNodes(), redis);
    } else {
      LaminaProperties.Redis.Sentinel s = redis.getSentinel();
      if (s.getMaster() == null || s.getMaster().isBlank()) {
        throw new InvalidConfigurationPropertyValueException("lamina.redis.sentinel.master", s.getMaster(),
            "name the master the sentinels monitor (their 'sentinel monitor <name> ...'), beside"
                + " lamina.redis.sentinel.nodes");
      }
      sentinel(config, "lamina.redis.sentinel.nodes", s.getMaster(), s.getNodes(), s.getUsername(), s.getPassword(),
          redis.getDatabase(), redis);
    }
    credentials(config, redis.getUsername(), redis.getPassword());
    return config;
  }

  private static void cluster(Config config, String property, List<String> nodes, Redis redis) {
    ClusterServersConfig cluster = config.useClusterServers();
    cluster.addNodeAddress(checkedAll(property, nodes).toArray(new String[0]));
    common(cluster, redis);
  }

  private static void sentinel(Config config, String property, String master, List<String> nodes,
      @Nullable String username, @Nullable String password, int database, Redis redis) {
    if (nodes.isEmpty()) {
      throw new InvalidConfigurationPropertyValueException(property, "(empty)",
          "list the sentinels, such as redis://10.0.0.1:26379,redis://10.0.0.2:26379");
    }
    SentinelServersConfig sentinel = config.useSentinelServers().setMasterName(master)
        .setDatabase(database);
    sentinel.addSentinelAddress(checkedAll(property, nodes).toArray(new String[0]));
    if (username != null) {
      sentinel.setSentinelUsername(username);
    }
    if (password != null) {
      sentinel.setSentinelPassword(password);
    }
    common(sentinel, redis);
  }

  private static void common(BaseConfig<?> server, Redis redis) {
    server.setConnectTimeout(Math.toIntExact(redis.getConnectTimeout().toMillis()));
    server.setTimeout(Math.toIntExact(redis.getTimeout().toMillis()));
  }

  private static void credentials(Config config, @Nullable String username, @Nullable String password) {
    if (username != null) {
      config.setUsername(username);
    }
    if (password != null) {
      config.setPassword(password);
    }
  }

  /** Every address checked, and all with one scheme: TLS is for the whole topology or none of it. */
  private static List<String> checkedAll(String property, List<String> addresses) {
    List<String> out = new ArrayList<>();
    for (int i = 0; i < addresses.size(); i++) {
      out.add(checked(property + "[" + i + "]", addresses.get(i).trim()));
    }
    if (out.stream().map(a -> a.startsWith("rediss://")).distinct().count() > 1) {
      throw new InvalidConfigurationPropertyValueException(property, redacted(out),
          "mixes redis:// and rediss://; use rediss:// for every node (TLS) or for none");
    }
    return out;
  }

  private static String checked(String property, @Nullable String address) {
    if (address == null || !(address.startsWith("redis://") || address.startsWith("rediss://"))) {
      throw new InvalidConfigurationPropertyValueException(property,
          address == null ? null : Redact.userInfo(address),
          "must start with redis:// (or rediss:// for TLS), such as redis://127.0.0.1:6379");
    }
    return address;
  }

  private static String redacted(List<String> addresses) {
    return String.join(",", addresses.stream().map(Redact::userInfo).toList());
  }

  private static SpringSettings springSettings(Environment env) {
    return new SpringSettings(env);
  }

  /** {@code spring.data.redis.*}, read from the environment (Spring Data Redis need not be on the class path). */
  private record SpringSettings(Environment env) {

    private @Nullable String get(String name) {
      String value = env.getProperty(SPRING + name);
      return value == null || value.isBlank() ? null : value.trim();
    }

    private boolean ssl() {
      return Boolean.parseBoolean(env.getProperty(SPRING + "ssl.enabled", "false"));
    }

    /** {@code host:port} entries (as Spring Data Redis takes them) or full URLs. */
    private List<String> nodes(String name) {
      String[] list = env.getProperty(SPRING + name, String[].class, new String[0]);
      List<String> out = new ArrayList<>();
      for (String n : list) {
        String node = n.trim();
        if (!node.isEmpty()) {
          out.add(node.contains("://") ? node : (ssl() ? "rediss://" : "redis://") + node);
        }
      }
      return out;
    }

    String describe() {
      if (get("cluster.nodes") != null) {
        return "cluster.nodes=" + redacted(nodes("cluster.nodes"));
      }
      if (get("sentinel.master") != null) {
        return "sentinel.master=" + get("sentinel.master") + ", sentinel.nodes=" + redacted(nodes("sentinel.nodes"));
      }
      if (get("url") != null) {
        return "url=" + Redact.userInfo(String.valueOf(get("url")));
      }
      return "host=" + get("host") + ", port=" + env.getProperty(SPRING + "port", "6379");
    }

    Config config(Redis redis) {
      Config config = new Config();
      String username = get("username"); // Redisson also reads user-info in a url
      String password = get("password");
      if (get("cluster.nodes") != null) {
        cluster(config, SPRING + "cluster.nodes", nodes("cluster.nodes"), redis);
      } else if (get("sentinel.master") != null) {
        sentinel(config, SPRING + "sentinel.nodes", String.valueOf(get("sentinel.master")), nodes("sentinel.nodes"),
            get("sentinel.username"), get("sentinel.password"), database(), redis);
      } else if (get("url") != null) {
        String url = checked(SPRING + "url", get("url"));
        common(config.useSingleServer().setAddress(url).setDatabase(database()), redis);
      } else if (get("host") != null) {
        String address = (ssl() ? "rediss://" : "redis://") + get("host") + ":" + env.getProperty(SPRING + "port",
            "6379");
        common(config.useSingleServer().setAddress(address).setDatabase(database()), redis);
      } else {
        throw new InvalidConfigurationPropertyValueException("lamina.redis.address", null,
            "no Redis is configured: set lamina.redis.address (or lamina.redis.cluster.nodes,"
                + " lamina.redis.sentinel.master and .nodes, or spring.data.redis.*), or lamina.local-only=true"
                + " for caches that live only in this JVM's heap");
      }
      credentials(config, username, password);
      return config;
    }

    private int database() {
      return env.getProperty(SPRING + "database", Integer.class, 0);
    }
  }
}
