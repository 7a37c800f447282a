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
public final class NatsServer extends ServerHandle {

  private NatsServer(@Nullable ServerProcess process, String host, int port, @Nullable AutoCloseable container) {
    super(process, host, port, container);
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
    return new NatsServer(child, ServerProcess.HOST, child.port(), null);
  }

  /** An existing server, such as {@code nats://127.0.0.1:4223}; fault handles throw. */
  public static NatsServer external(String url) {
    URI uri = URI.create(url);
    return new NatsServer(null, uri.getHost(), uri.getPort() < 0 ? 4222 : uri.getPort(), null);
  }

  @Override
  String scheme() {
    return "nats";
  }

  /** The server's INFO line (a JSON object), read from a fresh connection. */
  public String info() {
    return readInfo(host(), port(), 2_000);
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
    private final @Nullable Path store;

    Child(Path binary, boolean jetStream, List<String> extraArgs) {
      this(binary, jetStream ? tempDirectory() : null, extraArgs);
    }

    private Child(Path binary, @Nullable Path store, List<String> extraArgs) {
      super(binary, "nats", arguments(store, extraArgs));
      this.store = store;
    }

    private static IntFunction<List<String>> arguments(@Nullable Path store, List<String> extraArgs) {
      return port -> {
        List<String> args = new ArrayList<>(List.of("-a", HOST, "-p", Integer.toString(port)));
        if (store != null) {
          args.addAll(List.of("-js", "-sd", store.toString()));
        }
        args.addAll(extraArgs);
        return args;
      };
    }

    @Override
    public void close() {
      super.close();
      if (store != null) {
        deleteTree(store);
      }
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

  }
}
