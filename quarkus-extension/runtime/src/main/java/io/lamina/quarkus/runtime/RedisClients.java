package io.lamina.quarkus.runtime;

import io.lamina.Redact;
import io.lamina.quarkus.runtime.LaminaConfig.Redis;
import io.quarkus.runtime.configuration.ConfigurationException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.redisson.Redisson;
import org.redisson.api.RedissonClient;
import org.redisson.config.BaseConfig;
import org.redisson.config.Config;
import org.redisson.config.TransportMode;

/**
 * The Redisson client Lamina creates from {@code quarkus.lamina.redis.*} when the application has none: NIO on
 * the Netty the application already runs (never Redisson's io_uring or epoll transports).
 */
final class RedisClients {

  private RedisClients() {}

  /** Whether {@code quarkus.lamina.redis.address} or {@code .config} is set. */
  static boolean configured(Redis redis) {
    return redis.address().isPresent() || redis.config().isPresent();
  }

  static RedissonClient create(Redis redis) {
    Config config = config(redis);
    config.setTransportMode(TransportMode.NIO);
    config.setLazyInitialization(!redis.required());
    try {
      return Redisson.create(config);
    } catch (RuntimeException e) {
      String where = redis.address().map(a -> "quarkus.lamina.redis.address=" + Redact.userInfo(a))
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
      try (InputStream in = open(file)) {
        return Config.fromYAML(in);
      } catch (IOException | RuntimeException e) {
        throw Settings.invalid("quarkus.lamina.redis.config", file,
            "not a readable Redisson YAML configuration (a file path, or classpath:name): " + e.getMessage());
      }
    }
    String address = redis.address().orElse(null);
    if (address == null || !(address.startsWith("redis://") || address.startsWith("rediss://"))) {
      throw Settings.invalid("quarkus.lamina.redis.address", address == null ? null : Redact.userInfo(address),
          "must start with redis:// (or rediss:// for TLS), such as redis://127.0.0.1:6379");
    }
    Config config = new Config();
    BaseConfig<?> server = config.useSingleServer().setAddress(address).setDatabase(redis.database());
    server.setConnectTimeout(Math.toIntExact(redis.connectTimeout().toMillis()));
    server.setTimeout(Math.toIntExact(redis.timeout().toMillis()));
    redis.username().ifPresent(config::setUsername);
    redis.password().ifPresent(config::setPassword);
    return config;
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
