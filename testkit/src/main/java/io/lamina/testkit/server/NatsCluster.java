package io.lamina.testkit.server;

import java.io.IOException;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * A three-node NATS cluster on loopback with JetStream on every node (so streams can be replicated three ways):
 * {@code nats-server} child processes with routes to each other, each with its own store directory and an HTTP
 * monitoring port used to wait until JetStream has a meta leader. Members are {@link NatsServer}s with the usual
 * fault handles; a restarted member rejoins with its store.
 */
public final class NatsCluster implements AutoCloseable {

  private static final Duration READY_TIMEOUT = Duration.ofSeconds(30);

  private final List<NatsServer> members;
  private final List<Integer> monitorPorts;

  private NatsCluster(List<NatsServer> members, List<Integer> monitorPorts) {
    this.members = List.copyOf(members);
    this.monitorPorts = List.copyOf(monitorPorts);
  }

  /** Starts three routed members with JetStream and waits until every one reports JetStream healthy. */
  public static NatsCluster start() {
    Path binary = Topologies.binary(ServerKind.NATS);
    List<Integer> clusterPorts = List.of(ServerProcess.freePort(), ServerProcess.freePort(), ServerProcess.freePort());
    String routes = clusterPorts.stream().map(p -> "nats-route://" + ServerProcess.HOST + ":" + p)
        .collect(Collectors.joining(","));
    List<NatsServer> started = new ArrayList<>();
    List<Integer> monitors = new ArrayList<>();
    try {
      for (int i = 0; i < 3; i++) {
        int monitor = ServerProcess.freePort();
        monitors.add(monitor);
        started.add(NatsServer.start(binary, true, "--server_name", "lamina-" + (i + 1), "--cluster_name", "lamina",
            "--cluster", "nats://" + ServerProcess.HOST + ":" + clusterPorts.get(i), "--routes", routes,
            "-m", Integer.toString(monitor)));
      }
      NatsCluster cluster = new NatsCluster(started, monitors);
      cluster.awaitHealthy();
      return cluster;
    } catch (RuntimeException e) {
      started.forEach(NatsServer::close);
      throw e;
    }
  }

  /** Waits until every answering member reports JetStream healthy (routes up, a meta leader elected). */
  public void awaitHealthy() {
    Topologies.await("the NATS cluster's JetStream to be healthy", READY_TIMEOUT, () -> {
      for (int i = 0; i < members.size(); i++) {
        if (members.get(i).isAnswering() && !healthy(monitorPorts.get(i))) {
          return false;
        }
      }
      return true;
    });
  }

  private static boolean healthy(int monitorPort) {
    try {
      HttpURLConnection c = (HttpURLConnection) URI.create("http://" + ServerProcess.HOST + ":" + monitorPort
          + "/healthz").toURL().openConnection();
      c.setConnectTimeout(500);
      c.setReadTimeout(500);
      try (InputStream in = c.getResponseCode() == 200 ? c.getInputStream() : c.getErrorStream()) {
        String body = in == null ? "" : new String(in.readAllBytes(), StandardCharsets.UTF_8);
        return c.getResponseCode() == 200 && body.contains("\"ok\"");
      } finally {
        c.disconnect();
      }
    } catch (IOException e) {
      return false;
    }
  }

  public List<NatsServer> members() {
    return members;
  }

  /** Every member's URL, comma-separated, as jnats takes a server list. */
  public String urls() {
    return members.stream().map(NatsServer::url).collect(Collectors.joining(","));
  }

  /** The member listening on {@code port}, such as the one a client reports as connected. */
  public NatsServer memberOn(int port) {
    return members.stream().filter(m -> m.port() == port).findFirst()
        .orElseThrow(() -> new IllegalArgumentException("no member on port " + port));
  }

  @Override
  public void close() {
    members.forEach(NatsServer::close);
  }
}
