package io.lamina.quarkus.deployment;

import io.lamina.testkit.server.NatsServer;
import io.lamina.testkit.server.RedisServer;
import io.lamina.testkit.server.ServerKind;
import io.lamina.testkit.server.ServerResolution;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * One {@code redis-server} and one {@code nats-server} per test JVM, started on free loopback ports by the
 * testkit when first asked for and stopped when the JVM exits. A Quarkus test needs the URLs while its class is
 * initialised (its {@code QuarkusUnitTest} field holds the configuration), before any JUnit callback runs, so
 * servers cannot come from a parameter resolver here.
 *
 * <p>Without the binaries, {@link Required} skips the class — or fails it under {@code lamina.it.required=true},
 * as CI runs — and the URLs handed out meanwhile point nowhere.
 */
final class TestServers {

  // The test class is loaded again by each Quarkus application's class loader, and with it this class: the URLs
  // live in system properties so every copy finds the one server of the JVM.
  private static final String REDIS = "lamina.quarkus.test.redis";
  private static final String NATS = "lamina.quarkus.test.nats";
  private static final String STOPPED_NATS = "lamina.quarkus.test.nats.stopped";
  private static final String RESTART_STOPPED_NATS = "lamina.quarkus.test.nats.stopped.restart";

  private TestServers() {}

  static synchronized String redisUrl() {
    if (missing(ServerKind.REDIS)) {
      return "redis://127.0.0.1:1";
    }
    ServerResolution given = ServerResolution.resolve(ServerKind.REDIS);
    if (given.source() == ServerResolution.Source.EXPLICIT_URL) {
      return given.requireUrl();
    }
    String url = System.getProperty(REDIS);
    if (url == null) {
      RedisServer redis = RedisServer.start();
      Runtime.getRuntime().addShutdownHook(new Thread(redis::close));
      url = redis.url();
      System.setProperty(REDIS, url);
    }
    return url;
  }

  /** The server, to send commands to. */
  static RedisServer redis() {
    return RedisServer.external(redisUrl());
  }

  static synchronized String natsUrl() {
    if (missing(ServerKind.NATS)) {
      return "nats://127.0.0.1:1";
    }
    ServerResolution given = ServerResolution.resolve(ServerKind.NATS);
    if (given.source() == ServerResolution.Source.EXPLICIT_URL) {
      return given.requireUrl();
    }
    String url = System.getProperty(NATS);
    if (url == null) {
      NatsServer nats = NatsServer.start(false);
      Runtime.getRuntime().addShutdownHook(new Thread(nats::close));
      url = nats.url();
      System.setProperty(NATS, url);
    }
    return url;
  }

  /**
   * The URL of a second {@code nats-server}, started on a free port and stopped at once: nothing listens there
   * until {@link #restartStoppedNats()}. Only a child process can be stopped and restarted, so without the binary
   * the URL points nowhere and {@link StoppableNats} skips the class.
   */
  static synchronized String stoppedNatsUrl() {
    if (ServerResolution.resolve(ServerKind.NATS).source() != ServerResolution.Source.CHILD_PROCESS) {
      return "nats://127.0.0.1:1";
    }
    String url = System.getProperty(STOPPED_NATS);
    if (url == null) {
      NatsServer nats = NatsServer.start(false);
      Runtime.getRuntime().addShutdownHook(new Thread(nats::close));
      nats.stop();
      url = nats.url();
      System.setProperty(STOPPED_NATS, url);
      // a JDK type: the test calling restartStoppedNats() runs in the application's class loader
      System.getProperties().put(RESTART_STOPPED_NATS, (Runnable) nats::restart);
    }
    return url;
  }

  /** Starts the server of {@link #stoppedNatsUrl()} again, on the same port. */
  static void restartStoppedNats() {
    Object restart = System.getProperties().get(RESTART_STOPPED_NATS);
    if (!(restart instanceof Runnable r)) {
      throw new IllegalStateException("no stopped nats-server: stoppedNatsUrl() was not called");
    }
    r.run();
  }

  /** No server given by URL nor binary to start (containers are not used here), and none is required. */
  private static boolean missing(ServerKind kind) {
    ServerResolution r = ServerResolution.resolve(kind);
    return r.source() != ServerResolution.Source.CHILD_PROCESS && r.source() != ServerResolution.Source.EXPLICIT_URL
        && !r.required();
  }

  /** Skips a class when a server binary is missing, unless {@code lamina.it.required=true}. */
  static final class Required implements ExecutionCondition {
    @Override
    public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
      for (ServerKind kind : new ServerKind[] {ServerKind.REDIS, ServerKind.NATS}) {
        if (missing(kind)) {
          return ConditionEvaluationResult.disabled(ServerResolution.resolve(kind).missingMessage());
        }
      }
      return ConditionEvaluationResult.enabled("redis-server and nats-server found");
    }
  }

  /**
   * Skips a class that stops and restarts NATS unless {@code nats-server} runs as a child process (a server given
   * by URL cannot be stopped); under {@code lamina.it.required=true} a missing binary fails it instead.
   */
  static final class StoppableNats implements ExecutionCondition {
    @Override
    public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
      ServerResolution nats = ServerResolution.resolve(ServerKind.NATS);
      if (nats.source() == ServerResolution.Source.CHILD_PROCESS) {
        return ConditionEvaluationResult.enabled("nats-server found");
      }
      if (nats.required() && nats.source() != ServerResolution.Source.EXPLICIT_URL) {
        throw new IllegalStateException(nats.missingMessage());
      }
      return ConditionEvaluationResult.disabled("needs a nats-server binary to stop and restart (source: "
          + nats.source() + ")");
    }
  }
}
