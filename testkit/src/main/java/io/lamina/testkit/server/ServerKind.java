package io.lamina.testkit.server;

import java.util.List;

/** The servers the testkit can provide, with where their explicit URL is configured and which binary runs them. */
public enum ServerKind {
  REDIS("lamina.redis.url", "LAMINA_REDIS_URL", "redis-server"),
  NATS("lamina.nats.url", "LAMINA_NATS_URL", "nats-server");

  /** System property that names an existing server, used as is. */
  public final String property;
  /** Environment variable that names an existing server, used when the property is not set. */
  public final String environmentVariable;
  /** The binary started as a child process. */
  public final String binary;

  ServerKind(String property, String environmentVariable, String binary) {
    this.property = property;
    this.environmentVariable = environmentVariable;
    this.binary = binary;
  }

  /** Directories searched besides PATH: packages install {@code nats-server} in /usr/sbin. */
  static final List<String> EXTRA_DIRECTORIES = List.of("/usr/local/bin", "/usr/bin", "/usr/sbin", "/usr/local/sbin");
}
