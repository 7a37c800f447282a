package io.lamina.testkit.server;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntFunction;
import org.jspecify.annotations.Nullable;

/**
 * A NATS server for a test: a {@code nats-server} child process on a free loopback port (optionally with
 * JetStream in a temporary store directory), or an existing server named by URL (faults unsupported).
 */
public final class NatsServer implements AutoCloseable {

  private final @Nullable ServerProcess process;
  private final String host;
  private final int port;
  private final @Nullable AutoCloseable container;

  private NatsServer(@Nullable ServerProcess process, String host, int port) {
    this(process, host, port, null);
  }

  private NatsServer(@Nullable ServerProcess process, String host, int port, @Nullable AutoCloseable container) {
    this.process = process;
    this.host = host;
    this.port = port;
    this.container = container;
  }

  /** Starts a container through Testcontainers (when Docker is available); fault handles throw. */
  static NatsServer container() {
    ContainerSupport.Started started = ContainerSupport.start("nats:2.10", 4222);
    return new NatsServer(null, started.host(), started.port(), started.stopper());
  }

  /** Starts {@code nats-server} from the PATH (or /usr/sbin), with JetStream if asked. */
  public static NatsServer start(boolean jetStream, String... extraArgs) {
    return start(ServerResolution.resolve(ServerKind.NATS).requireBinary(), jetStream, extraArgs);
  }

  static NatsServer start(Path binary, boolean jetStream, String... extraArgs) {
    Child child = new Child(binary, jetStream, List.of(extraArgs));
    child.startOnFreePort();
    return new NatsServer(child, ServerProcess.HOST, child.port());
  }

  /** An existing server, such as {@code nats://127.0.0.1:4223}; fault handles throw. */
  public static NatsServer external(String url) {
    URI uri = URI.create(url);
    return new NatsServer(null, uri.getHost(), uri.getPort() < 0 ? 4222 : uri.getPort());
  }

  public String host() {
    return host;
  }

  public int port() {
    return port;
  }

  /** {@code nats://host:port}. */
  public String url() {
    return "nats://" + host + ':' + port;
  }

  public long pid() {
    return child("pid").pid();
  }

  public void kill() {
    child("kill").kill();
  }

  public void pause() {
    child("pause").pause();
  }

  public void resume() {
    child("resume").resume();
  }

  public void restart() {
    child("restart").restart();
  }

  public void stop() {
    child("stop").stop();
  }

  /** The server's INFO line (a JSON object), read from a fresh connection. */
  public String info() {
    return readInfo(host, port, 2_000);
  }

  @Override
  public void close() {
    if (process != null) {
      process.close();
    }
    if (container != null) {
      try {
        container.close();
      } catch (Exception e) {
        throw new IllegalStateException("cannot stop container", e);
      }
    }
  }

  @Override
  public String toString() {
    return "NatsServer{" + url() + (process == null ? ", external" : ", pid " + process.pid()) + '}';
  }

  private ServerProcess child(String operation) {
    if (process == null) {
      throw new UnsupportedOperationException(operation + " needs a nats-server started by the testkit, but "
          + url() + " was given explicitly");
    }
    return process;
  }

  static String readInfo(String host, int port, int timeoutMillis) {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(host, port), timeoutMillis);
      socket.setSoTimeout(timeoutMillis);
      InputStream in = socket.getInputStream();
      StringBuilder line = new StringBuilder();
      for (int b = in.read(); b != -1 && b != '\n'; b = in.read()) {
        line.append((char) b);
      }
      String info = line.toString().trim();
      if (!info.startsWith("INFO ")) {
        throw new IllegalStateException("not a NATS greeting: " + info);
      }
      return new String(info.substring(5).getBytes(StandardCharsets.ISO_8859_1), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new IllegalStateException("nats at " + host + ":" + port + " did not answer: " + e, e);
    }
  }

  private static final class Child extends ServerProcess {
    Child(Path binary, boolean jetStream, List<String> extraArgs) {
      super(binary, "nats", arguments(jetStream, extraArgs));
    }

    private static IntFunction<List<String>> arguments(boolean jetStream, List<String> extraArgs) {
      Path store = jetStream ? tempDirectory() : null;
      return port -> {
        List<String> args = new ArrayList<>(List.of("-a", HOST, "-p", Integer.toString(port)));
        if (store != null) {
          args.addAll(List.of("-js", "-sd", store.toString()));
        }
        args.addAll(extraArgs);
        return args;
      };
    }

    private static Path tempDirectory() {
      try {
        return Files.createTempDirectory("lamina-jetstream-");
      } catch (IOException e) {
        throw new IllegalStateException("cannot create a JetStream store directory", e);
      }
    }

    @Override
    protected boolean ready() {
      try {
        readInfo(HOST, port(), 500);
        return true;
      } catch (RuntimeException e) {
        return false;
      }
    }

    @Override
    public String url() {
      return "nats://" + HOST + ':' + port();
    }
  }
}
