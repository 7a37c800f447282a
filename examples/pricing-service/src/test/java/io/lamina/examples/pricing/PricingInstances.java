package io.lamina.examples.pricing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.awaitility.Awaitility;

/**
 * Pricing instances, each a JVM process running the packaged application ({@code target/quarkus-app}, built by
 * the {@code package} phase before the integration tests), on one Redis, one NATS server and one PostgreSQL.
 * Each is stopped by its PID when the test ends.
 */
final class PricingInstances implements AutoCloseable {

  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
  private static final Path JAR = Path.of("target", "quarkus-app", "quarkus-run.jar");

  private final List<String> common;
  private final List<Process> started = new ArrayList<>();

  PricingInstances(String namespace, String redisUrl, String natsUrl, String jdbcUrl) {
    this.common = List.of("-Dquarkus.lamina.namespace=" + namespace, "-Dquarkus.lamina.redis.address=" + redisUrl,
        "-Dquarkus.lamina.bus.nats.url=" + natsUrl, "-Dpricing.datasource.url=" + jdbcUrl,
        "-Dpricing.datasource.username=postgres");
  }

  /** A process of the application with {@code more} system properties, not waited for. */
  static Process launch(String name, List<String> properties) {
    if (!Files.isRegularFile(JAR)) {
      throw new IllegalStateException(JAR + " is missing: run the package phase first (./mvnw verify does)");
    }
    List<String> command = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx256m", "-XX:+UseSerialGC"));
    command.addAll(properties);
    command.addAll(List.of("-jar", JAR.toString()));
    try {
      return new ProcessBuilder(command).redirectErrorStream(true)
          .redirectOutput(Path.of("target", name + ".log").toFile()).start();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Starts one more instance and waits until it is ready and its L1 is trusted (the bus is live). */
  Instance start(String name) {
    int port = freePort();
    List<String> props = new ArrayList<>(common);
    props.addAll(List.of("-Dquarkus.http.host=127.0.0.1", "-Dquarkus.http.port=" + port));
    Process p = launch(name, props);
    started.add(p);
    Instance instance = new Instance(name, p, URI.create("http://127.0.0.1:" + port));
    Awaitility.await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(250)).until(() -> {
      if (!p.isAlive()) {
        throw new IllegalStateException(name + " exited with " + p.exitValue() + "; see target/" + name + ".log");
      }
      HttpResponse<String> ready = instance.getOrNull("/q/health/ready");
      return ready != null && ready.statusCode() == 200 && ready.body().contains("TRUSTED");
    });
    return instance;
  }

  @Override
  public void close() throws InterruptedException {
    for (Process p : started) {
      p.destroy();
    }
    for (Process p : started) {
      if (!p.waitFor(20, TimeUnit.SECONDS)) {
        p.destroyForcibly();
      }
    }
  }

  private static int freePort() {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** One running instance and an HTTP client for it. */
  record Instance(String name, Process process, URI base) {

    private static final Pattern DB_READS =
        Pattern.compile("(?m)^pricing_db_queries_total\\{[^}]*kind=\"read\"[^}]*} (\\S+)$");

    HttpResponse<String> get(String path, String... headers) {
      HttpRequest.Builder b = HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(10)).GET();
      if (headers.length > 0) {
        b.headers(headers);
      }
      return send(b.build());
    }

    HttpResponse<String> put(String path, String json) {
      return send(HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(10))
          .header("Content-Type", "application/json").PUT(HttpRequest.BodyPublishers.ofString(json)).build());
    }

    HttpResponse<String> post(String path) {
      return send(HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(10))
          .POST(HttpRequest.BodyPublishers.noBody()).build());
    }

    /** SELECT statements this instance sent to the database, from its {@code /q/metrics}. */
    double databaseReads() {
      Matcher m = DB_READS.matcher(get("/q/metrics").body());
      if (!m.find()) {
        throw new AssertionError("pricing_db_queries_total with kind=\"read\" is not in " + name + "'s /q/metrics");
      }
      return Double.parseDouble(m.group(1));
    }

    HttpResponse<String> getOrNull(String path) {
      try {
        return HTTP.send(HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(5)).build(),
            HttpResponse.BodyHandlers.ofString());
      } catch (IOException e) {
        return null;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return null;
      }
    }

    private static HttpResponse<String> send(HttpRequest request) {
      try {
        return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }
  }
}
