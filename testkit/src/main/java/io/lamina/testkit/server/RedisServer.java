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
public final class RedisServer extends ServerHandle {

  private RedisServer(@Nullable ServerProcess process, String host, int port, @Nullable AutoCloseable container) {
    super(process, host, port, container);
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
    return new RedisServer(child, ServerProcess.HOST, child.port(), null);
  }

  /** A server the testkit started as its own kind of child process (a sentinel, say). */
  static RedisServer of(ServerProcess child) {
    return new RedisServer(child, ServerProcess.HOST, child.port(), null);
  }

  /** The first line of {@code INFO <section>} that starts with {@code field:}, without the field name. */
  public String info(String section, String field) {
    String info = String.valueOf(command("INFO", section));
    for (String line : info.split("\r\n")) {
      if (line.startsWith(field + ':')) {
        return line.substring(field.length() + 1);
      }
    }
    return "";
  }

  /**
   * Calls of {@code command} (lower case) this server has run and not failed, as {@code INFO commandstats} counts
   * them: top level and inside scripts. Failed calls are left out: an EVALSHA that finds its script not yet
   * loaded fails, and the client sends it again as EVAL.
   */
  public long commandCalls(String command) {
    String stats = info("commandstats", "cmdstat_" + command);
    return stats.isEmpty() ? 0 : stat(stats, "calls") - stat(stats, "failed_calls");
  }

  /** The number {@code name=} gives in a commandstats line ({@code calls=3,usec=…,failed_calls=0}), or 0. */
  private static long stat(String stats, String name) {
    for (String part : stats.split(",")) {
      if (part.startsWith(name + '=')) {
        return Long.parseLong(part.substring(name.length() + 1).trim());
      }
    }
    return 0;
  }

  /** An existing server, such as {@code redis://127.0.0.1:6380}; fault handles throw. */
  public static RedisServer external(String url) {
    URI uri = URI.create(url);
    return new RedisServer(null, uri.getHost(), uri.getPort() < 0 ? 6379 : uri.getPort(), null);
  }

  @Override
  String scheme() {
    return "redis";
  }

  /** Sends one command (UTF-8 arguments); see {@link Resp#command}. Times out after two seconds. */
  public @Nullable Object command(String... args) {
    return Resp.command(host(), port(), 2_000, Resp.utf8(args));
  }

  /** Sends one binary-safe command; bulk replies come back as {@code byte[]}. */
  public @Nullable Object commandBytes(byte[]... args) {
    return Resp.commandRaw(host(), port(), 2_000, args);
  }

  /** Sends one command with a key given as raw bytes and the other arguments as UTF-8. */
  public @Nullable Object commandWithKey(String command, String key, String... args) {
    List<byte[]> all = new ArrayList<>();
    all.add(command.getBytes(StandardCharsets.UTF_8));
    all.add(key.getBytes(StandardCharsets.UTF_8));
    Arrays.stream(args).map(a -> a.getBytes(StandardCharsets.UTF_8)).forEach(all::add);
    return Resp.commandRaw(host(), port(), 2_000, all.toArray(new byte[0][]));
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

  }
}
