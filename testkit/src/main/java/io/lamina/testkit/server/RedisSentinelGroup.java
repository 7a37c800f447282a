package io.lamina.testkit.server;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A Sentinel group on loopback: one master, two replicas and three sentinels ({@code redis-server --sentinel}),
 * all child processes on free ports, monitoring the master as {@link #MASTER_NAME} with a quorum of two. Sentinels
 * judge a master down after {@link #DOWN_AFTER} of silence, so a killed or paused master is replaced within a few
 * seconds. {@link #master()} asks the sentinels which server is the master now.
 */
public final class RedisSentinelGroup implements AutoCloseable {

  /** The name the sentinels monitor the master under. */
  public static final String MASTER_NAME = "lamina";
  /** {@code down-after-milliseconds}: silence after which a sentinel judges the master down. */
  public static final Duration DOWN_AFTER = Duration.ofMillis(1_000);
  private static final Duration READY_TIMEOUT = Duration.ofSeconds(30);

  private final List<RedisServer> servers;
  private final List<RedisServer> sentinels;

  private RedisSentinelGroup(List<RedisServer> servers, List<RedisServer> sentinels) {
    this.servers = List.copyOf(servers);
    this.sentinels = List.copyOf(sentinels);
  }

  /** Starts the master, its two replicas and three sentinels, and waits until the sentinels see all of them. */
  public static RedisSentinelGroup start() {
    Path binary = Topologies.binary(ServerKind.REDIS);
    List<RedisServer> servers = new ArrayList<>();
    List<RedisServer> sentinels = new ArrayList<>();
    try {
      // No diskless-sync delay: a replica (or a demoted master) resyncs at once, not after five seconds.
      RedisServer master = RedisServer.start(binary, "--repl-diskless-sync-delay", "0");
      servers.add(master);
      for (int i = 0; i < 2; i++) {
        servers.add(RedisServer.start(binary, "--repl-diskless-sync-delay", "0", "--replicaof", master.host(),
            Integer.toString(master.port())));
      }
      for (int i = 0; i < 3; i++) {
        SentinelProcess s = new SentinelProcess(binary, master.port());
        s.begin();
        sentinels.add(RedisServer.of(s));
      }
      RedisSentinelGroup group = new RedisSentinelGroup(servers, sentinels);
      group.awaitHealthy();
      return group;
    } catch (RuntimeException e) {
      sentinels.forEach(RedisServer::close);
      servers.forEach(RedisServer::close);
      throw e;
    }
  }

  /**
   * Waits until every answering sentinel names the same answering master, that master has two connected replicas
   * whose links are up, and every sentinel knows the other two.
   */
  public void awaitHealthy() {
    Topologies.await("the sentinel group to be healthy", READY_TIMEOUT, () -> {
      RedisServer master = master();
      if (!master.isAnswering() || !"master".equals(master.info("replication", "role"))
          || !"2".equals(master.info("replication", "connected_slaves"))) {
        return false;
      }
      for (RedisServer r : replicas()) {
        if (!"up".equals(r.info("replication", "master_link_status"))) {
          return false;
        }
      }
      for (RedisServer s : answeringSentinels()) {
        List<?> others = (List<?>) s.command("SENTINEL", "SENTINELS", MASTER_NAME);
        if (others == null || others.size() < 2 || !master.equals(masterAccordingTo(s))) {
          return false;
        }
      }
      return true;
    });
  }

  /** The server the answering sentinels name as master now. */
  public RedisServer master() {
    return masterAccordingTo(answeringSentinels().get(0));
  }

  private RedisServer masterAccordingTo(RedisServer sentinel) {
    List<?> address = (List<?>) Objects.requireNonNull(
        sentinel.command("SENTINEL", "GET-MASTER-ADDR-BY-NAME", MASTER_NAME), "the sentinels know no master");
    int port = Integer.parseInt(String.valueOf(address.get(1)));
    return servers.stream().filter(s -> s.port() == port).findFirst()
        .orElseThrow(() -> new IllegalStateException("the sentinels name an unknown master on port " + port));
  }

  /** The answering servers other than the master. */
  public List<RedisServer> replicas() {
    RedisServer master = master();
    return servers.stream().filter(s -> s != master && s.isAnswering()).toList();
  }

  /** The master and the replicas, in start order (the first started as master). */
  public List<RedisServer> servers() {
    return servers;
  }

  public List<RedisServer> sentinels() {
    return sentinels;
  }

  /** The sentinels' addresses, {@code redis://127.0.0.1:port}, as a client's sentinel list. */
  public List<String> sentinelAddresses() {
    return sentinels.stream().map(RedisServer::url).toList();
  }

  /**
   * Forces a failover with {@code SENTINEL FAILOVER} and waits until another server is master and the group is
   * healthy again. Returns the new master.
   */
  public RedisServer failover() {
    RedisServer old = master();
    answeringSentinels().get(0).command("SENTINEL", "FAILOVER", MASTER_NAME);
    return awaitMasterOtherThan(old);
  }

  /** Waits until the sentinels name a master other than {@code old} and it accepts writes; returns it. */
  public RedisServer awaitMasterOtherThan(RedisServer old) {
    Topologies.await("a master other than " + old, READY_TIMEOUT, () -> {
      RedisServer now = master();
      return now != old && "master".equals(now.info("replication", "role"));
    });
    return master();
  }

  @Override
  public void close() {
    sentinels.forEach(RedisServer::close);
    servers.forEach(RedisServer::close);
  }

  private List<RedisServer> answeringSentinels() {
    List<RedisServer> out = sentinels.stream().filter(RedisServer::isAnswering).toList();
    if (out.isEmpty()) {
      throw new IllegalStateException("no sentinel is running");
    }
    return out;
  }

  /**
   * {@code redis-server <config> --sentinel}: a sentinel needs a config file it can rewrite. The file is written
   * once, on the first start, so a restarted sentinel keeps what it learned (such as a failover).
   */
  private static final class SentinelProcess extends ServerProcess {
    private final Path configDir;

    SentinelProcess(Path binary, int masterPort) {
      this(binary, masterPort, configDirectory());
    }

    private SentinelProcess(Path binary, int masterPort, Path configDir) {
      super(binary, "sentinel", port -> List.of(config(configDir, port, masterPort).toString(), "--sentinel"));
      this.configDir = configDir;
    }

    void begin() {
      startOnFreePort();
    }

    private static Path configDirectory() {
      try {
        return Files.createTempDirectory("lamina-sentinel-conf-");
      } catch (IOException e) {
        throw new IllegalStateException("cannot create a sentinel config directory", e);
      }
    }

    private static Path config(Path dir, int port, int masterPort) {
      Path file = dir.resolve("sentinel-" + port + ".conf");
      try {
        if (!Files.exists(file)) {
          Files.writeString(file, String.join("\n",
              "port " + port,
              "bind " + HOST,
              "daemonize no",
              "sentinel monitor " + MASTER_NAME + " " + HOST + " " + masterPort + " 2",
              "sentinel down-after-milliseconds " + MASTER_NAME + " " + DOWN_AFTER.toMillis(),
              "sentinel failover-timeout " + MASTER_NAME + " 5000",
              "sentinel parallel-syncs " + MASTER_NAME + " 2",
              ""), StandardCharsets.UTF_8);
        }
        return file;
      } catch (IOException e) {
        throw new IllegalStateException("cannot write " + file, e);
      }
    }

    @Override
    public void close() {
      super.close();
      deleteTree(configDir);
    }

    @Override
    protected boolean ready() {
      try {
        return "PONG".equals(Resp.command(HOST, port(), 500, Resp.utf8("PING")));
      } catch (RuntimeException e) {
        return false;
      }
    }
  }
}
