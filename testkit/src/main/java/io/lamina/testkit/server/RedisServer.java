package io.lamina.testkit.server;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * A Redis server for a test: a {@code redis-server} child process on a free loopback port (with fault handles),
 * or an existing server named by URL (faults unsupported). Nothing is persisted.
 */
public final class RedisServer implements AutoCloseable {

  private final @Nullable ServerProcess process;
  private final String host;
  private final int port;
  private final @Nullable AutoCloseable container;

  private RedisServer(@Nullable ServerProcess process, String host, int port) {
    this(process, host, port, null);
  }

  private RedisServer(@Nullable ServerProcess process, String host, int port, @Nullable AutoCloseable container) {
    this.process = process;
    this.host = host;
    this.port = port;
    this.container = container;
  }

  /** Starts a container through Testcontainers (when Docker is available); fault handles throw. */
  static RedisServer container() {
    ContainerSupport.Started started = ContainerSupport.start("redis:7.2", 6379);
    return new RedisServer(null, started.host(), started.port(), started.stopper());
  }

  /** Starts {@code redis-server} from the PATH; {@code extraArgs} are appended (e.g. {@code --maxmemory 1mb}). */
  public static RedisServer start(String... extraArgs) {
    return start(ServerResolution.resolve(ServerKind.REDIS).requireBinary(), extraArgs);
  }

  static RedisServer start(Path binary, String... extraArgs) {
    Child child = new Child(binary, List.of(extraArgs));
    child.startOnFreePort();
    return new RedisServer(child, ServerProcess.HOST, child.port());
  }

  /** An existing server, such as {@code redis://127.0.0.1:6380}; fault handles throw. */
  public static RedisServer external(String url) {
    URI uri = URI.create(url);
    return new RedisServer(null, uri.getHost(), uri.getPort() < 0 ? 6379 : uri.getPort());
  }

  public String host() {
    return host;
  }

  public int port() {
    return port;
  }

  /** {@code redis://host:port}. */
  public String url() {
    return "redis://" + host + ':' + port;
  }

  public long pid() {
    return child("pid").pid();
  }

  /** SIGKILL. */
  public void kill() {
    child("kill").kill();
  }

  /** SIGSTOP. */
  public void pause() {
    child("pause").pause();
  }

  /** SIGCONT. */
  public void resume() {
    child("resume").resume();
  }

  /** Starts again on the same port, empty (a new run id). */
  public void restart() {
    child("restart").restart();
  }

  /** Stops gracefully. */
  public void stop() {
    child("stop").stop();
  }

  /** Sends one command (UTF-8 arguments); see {@link Resp#command}. Times out after two seconds. */
  public @Nullable Object command(String... args) {
    return Resp.command(host, port, 2_000, Resp.utf8(args));
  }

  /** Sends one binary-safe command; bulk replies come back as {@code byte[]}. */
  public @Nullable Object commandBytes(byte[]... args) {
    return Resp.commandRaw(host, port, 2_000, args);
  }

  /** Sends one command with a key given as raw bytes and the other arguments as UTF-8. */
  public @Nullable Object commandWithKey(String command, String key, String... args) {
    List<byte[]> all = new ArrayList<>();
    all.add(command.getBytes(StandardCharsets.UTF_8));
    all.add(key.getBytes(StandardCharsets.UTF_8));
    Arrays.stream(args).map(a -> a.getBytes(StandardCharsets.UTF_8)).forEach(all::add);
    return Resp.commandRaw(host, port, 2_000, all.toArray(new byte[0][]));
  }

  /** The server's run id, which changes on every restart. */
  public String runId() {
    String info = String.valueOf(command("INFO", "server"));
    for (String line : info.split("\r\n")) {
      if (line.startsWith("run_id:")) {
        return line.substring("run_id:".length());
      }
    }
    throw new IllegalStateException("no run_id in INFO server");
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
    return "RedisServer{" + url() + (process == null ? ", external" : ", pid " + process.pid()) + '}';
  }

  private ServerProcess child(String operation) {
    if (process == null) {
      throw new UnsupportedOperationException(operation + " needs a redis-server started by the testkit, but "
          + url() + " was given explicitly");
    }
    return process;
  }

  private static final class Child extends ServerProcess {
    Child(Path binary, List<String> extraArgs) {
      super(binary, "redis", port -> {
        List<String> args = new ArrayList<>(List.of("--port", Integer.toString(port), "--bind", HOST,
            "--save", "", "--appendonly", "no", "--daemonize", "no", "--protected-mode", "yes"));
        args.addAll(extraArgs);
        return args;
      });
    }

    @Override
    protected boolean ready() {
      try {
        return "PONG".equals(Resp.command(HOST, port(), 500, Resp.utf8("PING")));
      } catch (RuntimeException e) {
        return false;
      }
    }

    @Override
    public String url() {
      return "redis://" + HOST + ':' + port();
    }
  }
}
