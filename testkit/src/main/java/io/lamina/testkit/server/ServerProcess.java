package io.lamina.testkit.server;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;

/**
 * A server started as a child process on a loopback port, with the faults tests inject: kill, pause (SIGSTOP),
 * resume (SIGCONT), restart on the same port. Every child is killed when the JVM exits.
 */
public abstract class ServerProcess implements AutoCloseable {

  static final String HOST = "127.0.0.1";
  private static final Duration START_TIMEOUT = Duration.ofSeconds(15);
  private static final Set<Process> LIVE = ConcurrentHashMap.newKeySet();

  static {
    Runtime.getRuntime().addShutdownHook(new Thread(() -> LIVE.forEach(Process::destroyForcibly),
        "lamina-testkit-server-reaper"));
  }

  private final Path binary;
  private final Path workDir;
  private final IntFunction<List<String>> arguments;
  private int port;
  private @Nullable Process process;
  private volatile boolean paused;

  protected ServerProcess(Path binary, String name, IntFunction<List<String>> arguments) {
    this.binary = binary;
    this.arguments = arguments;
    try {
      this.workDir = Files.createTempDirectory("lamina-" + name + "-");
    } catch (IOException e) {
      throw new IllegalStateException("cannot create a work directory for " + name, e);
    }
  }

  /** Starts on a free port, retrying on another port if the first one was taken in between. */
  protected final void startOnFreePort() {
    IllegalStateException last = null;
    for (int attempt = 0; attempt < 3; attempt++) {
      port = freePort();
      try {
        launch();
        return;
      } catch (IllegalStateException e) {
        last = e;
      }
    }
    throw last;
  }

  private void launch() {
    paused = false;
    List<String> command = new ArrayList<>();
    command.add(binary.toString());
    command.addAll(arguments.apply(port));
    Path log = workDir.resolve("server.log");
    try {
      Process p = new ProcessBuilder(command).directory(workDir.toFile()).redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
      process = p;
      LIVE.add(p);
    } catch (IOException e) {
      throw new IllegalStateException("cannot start " + command, e);
    }
    long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        break;
      }
      if (ready()) {
        return;
      }
      pause(25);
    }
    Process failed = process;
    failed.destroyForcibly();
    LIVE.remove(failed);
    throw new IllegalStateException(binary.getFileName() + " did not start on port " + port + "; log tail:\n"
        + tail(log));
  }

  /** Whether the server answers its protocol's greeting now. */
  protected abstract boolean ready();

  public String host() {
    return HOST;
  }

  public int port() {
    return port;
  }

  /** The child process id. */
  public long pid() {
    return live().pid();
  }

  /** SIGKILL: the server dies at once, without saving or saying goodbye. */
  public void kill() {
    Process p = live();
    p.destroyForcibly();
    waitFor(p);
  }

  /** SIGSTOP: the server stops answering but keeps its connections open. Returns once it is stopped. */
  public void pause() {
    signal("STOP");
    paused = true;
    awaitState(true);
  }

  /** SIGCONT after {@link #pause()}. Returns once it runs again. */
  public void resume() {
    signal("CONT");
    awaitState(false);
    paused = false;
  }

  /** Signals are delivered asynchronously: wait (bounded) until /proc shows the process stopped or running. */
  private void awaitState(boolean stopped) {
    Path stat = Path.of("/proc", Long.toString(pid()), "stat");
    long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
    while (System.nanoTime() < deadline) {
      try {
        String line = Files.readString(stat);
        char state = line.charAt(line.lastIndexOf(')') + 2);
        if ((state == 'T' || state == 't') == stopped) {
          return;
        }
      } catch (IOException | RuntimeException e) {
        return; // no /proc here: nothing to wait on
      }
      pause(5);
    }
    throw new IllegalStateException(binary.getFileName() + " did not " + (stopped ? "stop" : "continue"));
  }

  /** Starts the server again on the same port (after {@link #kill()} or {@link #stop()}); waits until ready. */
  public void restart() {
    if (process != null && process.isAlive()) {
      kill();
    }
    launch();
  }

  /** Stops the server gracefully (SIGTERM), killing it if it does not exit within five seconds. */
  public void stop() {
    Process p = process;
    if (p == null || !p.isAlive()) {
      return;
    }
    p.destroy();
    try {
      if (!p.waitFor(5, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        waitFor(p);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      p.destroyForcibly();
    }
    LIVE.remove(p);
  }

  /** Whether the child process is running and not paused: whether it can answer. */
  public boolean isAnswering() {
    return isAlive() && !paused;
  }

  /** Whether the child process is running (paused counts as running). */
  public boolean isAlive() {
    return process != null && process.isAlive();
  }

  /** Stops the server (waking it first if paused) and deletes its work directory. */
  @Override
  public void close() {
    if (process != null && process.isAlive()) {
      signal("CONT"); // a paused server would ignore SIGTERM until woken
    }
    stop();
    deleteTree(workDir);
  }

  /** Deletes a directory the testkit created, with everything in it; best effort. */
  static void deleteTree(Path root) {
    try (Stream<Path> paths = Files.walk(root)) {
      paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException | RuntimeException e) {
      // already gone, or not ours to delete
    }
  }

  /** Whether something accepts TCP connections on the server's port now. */
  protected boolean accepts(int timeoutMillis) {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress(HOST, port), timeoutMillis);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  private Process live() {
    Process p = process;
    if (p == null || !p.isAlive()) {
      throw new IllegalStateException(binary.getFileName() + " on port " + port + " is not running");
    }
    return p;
  }

  private void signal(String signal) {
    long pid = pid();
    try {
      Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(pid)).redirectErrorStream(true).start();
      if (!kill.waitFor(5, TimeUnit.SECONDS) || kill.exitValue() != 0) {
        throw new IllegalStateException("kill -" + signal + " " + pid + " failed");
      }
    } catch (IOException e) {
      throw new IllegalStateException("cannot send SIG" + signal + " to " + pid, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted sending SIG" + signal, e);
    }
  }

  private static void waitFor(Process p) {
    try {
      p.waitFor(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    LIVE.remove(p);
  }

  static void pause(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  static int freePort() {
    try (ServerSocket socket = new ServerSocket()) {
      socket.setReuseAddress(true);
      socket.bind(new InetSocketAddress(HOST, 0));
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new IllegalStateException("no free loopback port", e);
    }
  }

  private static String tail(Path log) {
    try {
      List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
      return String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size()));
    } catch (IOException e) {
      return "(no log: " + e + ")";
    }
  }

  protected Path workDir() {
    return workDir;
  }
}
