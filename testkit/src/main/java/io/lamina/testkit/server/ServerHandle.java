package io.lamina.testkit.server;

import org.jspecify.annotations.Nullable;

/**
 * A server a test talks to: a child process the testkit started (with fault handles), a container, or an
 * existing server named by URL (fault handles throw {@link UnsupportedOperationException}).
 */
public abstract class ServerHandle implements AutoCloseable {

  private final @Nullable ServerProcess process;
  private final String host;
  private final int port;
  private final @Nullable AutoCloseable container;

  ServerHandle(@Nullable ServerProcess process, String host, int port, @Nullable AutoCloseable container) {
    this.process = process;
    this.host = host;
    this.port = port;
    this.container = container;
  }

  public String host() {
    return host;
  }

  public int port() {
    return port;
  }

  /** The server's URL, such as {@code redis://127.0.0.1:6390}. */
  public String url() {
    return scheme() + "://" + host + ':' + port;
  }

  abstract String scheme();

  /** The child process id. */
  public long pid() {
    return child("pid").pid();
  }

  /** SIGKILL: the server dies at once. */
  public void kill() {
    child("kill").kill();
  }

  /** SIGSTOP: the server stops answering but keeps its connections; returns once it is stopped. */
  public void pause() {
    child("pause").pause();
  }

  /** SIGCONT after {@link #pause()}. */
  public void resume() {
    child("resume").resume();
  }

  /** Starts again on the same port, empty. */
  public void restart() {
    child("restart").restart();
  }

  /** Whether this is a child process that runs and is not paused (false for servers the testkit did not start). */
  public boolean isAnswering() {
    return process != null && process.isAnswering();
  }

  /** Stops gracefully. */
  public void stop() {
    child("stop").stop();
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
        throw new IllegalStateException("cannot stop the container of " + url(), e);
      }
    }
  }

  @Override
  public String toString() {
    return getClass().getSimpleName() + '{' + url()
        + (process != null ? (process.isAlive() ? ", pid " + process.pid() : ", not running") : container != null ? ", container" : ", external") + '}';
  }

  private ServerProcess child(String operation) {
    if (process == null) {
      throw new UnsupportedOperationException(operation + " needs a server started by the testkit, but " + url()
          + " was given explicitly or runs in a container");
    }
    return process;
  }
}
