package io.lamina.quarkus.deployment;

import static org.assertj.core.api.Assertions.assertThat;

import io.lamina.testkit.server.RedisServer;
import io.quarkus.maven.dependency.Dependency;
import io.quarkus.test.ProdBuildResults;
import io.quarkus.test.ProdModeTestResults;
import io.quarkus.test.QuarkusProdModeTest;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Two Quarkus applications, each its own JVM process started from the packaged application, on one Redis and
 * one bus: an {@code @CacheInvalidate} on one is seen by the other's {@code @CacheResult}, {@value #WRITES} times
 * per bus, and the time from the start of the invalidating call to the other process seeing the new value is
 * measured (p50, p99) and written to {@code target/propagation-<bus>.txt}. Every write must be seen within
 * 5 s, and the p99 must stay within the bus's detection time (2 s).
 */
@ExtendWith(TestServers.Required.class)
class TwoAppsIT {

  private static final int WRITES = 200;

  @RegisterExtension
  static final QuarkusProdModeTest APP = new QuarkusProdModeTest()
      .withApplicationRoot(jar -> jar.addClasses(PropagationApp.class))
      .overrideConfigKey("quarkus.cache.type", "lamina") // fixed at build time
      .setApplicationName("propagation")
      .setApplicationVersion("0.1")
      .setRun(false)
      // Test-scoped dependencies are not packaged by themselves: name the runtime ones the application needs.
      .setForcedDependencies(List.of(
          Dependency.of("io.quarkus", "quarkus-smallrye-health", System.getProperty("quarkus.version")),
          Dependency.of("io.nats", "jnats", System.getProperty("jnats.version"))));

  @ProdBuildResults
  ProdModeTestResults build;

  private final List<Process> processes = new ArrayList<>();

  @AfterEach
  void stop() throws InterruptedException {
    for (Process p : processes) {
      p.destroy();
    }
    for (Process p : processes) {
      if (!p.waitFor(10, TimeUnit.SECONDS)) {
        p.destroyForcibly();
      }
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"nats", "redis"})
  void anInvalidationOnOneApp_isSeenByTheOther(String bus) throws Exception {
    String run = "two-apps-" + bus;
    RedisServer redis = TestServers.redis();
    for (String key : new String[] {"source", "ready", "start", "seen", "errors"}) {
      redis.command("DEL", run + ":" + key);
    }
    redis.command("SET", run + ":ready", "-1");
    processes.add(start(run, bus, "reader"));
    processes.add(start(run, bus, "writer"));

    Awaitility.await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).until(() ->
        length(redis, run + ":seen") == WRITES || length(redis, run + ":errors") > 0
            || processes.stream().anyMatch(p -> !p.isAlive()));
    assertThat(lrange(redis, run + ":errors")).isEmpty();
    assertThat(processes).allMatch(Process::isAlive);

    Map<Long, Long> starts = times(lrange(redis, run + ":start"));
    Map<Long, Long> seen = times(lrange(redis, run + ":seen"));
    assertThat(seen).hasSize(WRITES);
    long[] micros = new long[WRITES];
    for (long i = 1; i <= WRITES; i++) {
      micros[(int) i - 1] = TimeUnit.NANOSECONDS.toMicros(seen.get(i) - starts.get(i));
    }
    Arrays.sort(micros);
    long p50 = micros[WRITES / 2 - 1];
    long p99 = micros[(int) Math.ceil(WRITES * 0.99) - 1];
    String report = String.format(Locale.ROOT, "bus=%s writes=%d p50=%dus p99=%dus max=%dus min=%dus%n", bus,
        WRITES, p50, p99, micros[WRITES - 1], micros[0]);
    System.out.print("TwoAppsIT " + report);
    Files.writeString(Path.of("target", "propagation-" + bus + ".txt"), report);
    // Every write was seen (the reader gives up after 5 s and reports it as an error, checked above). The
    // percentile, not the maximum, is held to the bus's detection time: on a starved 2-core machine one reload
    // can wait for the CPU longer than the bus took to deliver.
    assertThat(p99).as("p99 within the bus's detection time (2 s)").isLessThan(2_000_000);
  }

  private Process start(String run, String bus, String role) throws IOException {
    Path jar = build.getBuiltArtifactPath();
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    List<String> command = new ArrayList<>(List.of(java, "-Xmx256m", "-XX:+UseSerialGC",
        "-Dquarkus.http.port=0",
        "-Dquarkus.lamina.namespace=" + run,
        "-Dquarkus.lamina.redis.address=" + TestServers.redisUrl(),
        "-Dquarkus.lamina.bus.type=" + bus,
        "-Dquarkus.lamina.bus.nats.url=" + TestServers.natsUrl(),
        "-Dapp.role=" + role, "-Dapp.writes=" + WRITES, "-Dapp.run=" + run,
        "-jar", jar.toString()));
    Path log = Path.of("target", run + "-" + role + ".log");
    return new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
  }

  private static long length(RedisServer redis, String key) {
    Object n = redis.command("LLEN", key);
    return n instanceof Long l ? l : 0;
  }

  private static List<String> lrange(RedisServer redis, String key) {
    Object values = redis.command("LRANGE", key, "0", "-1");
    List<String> out = new ArrayList<>();
    if (values instanceof List<?> list) {
      for (Object v : list) {
        out.add(v instanceof byte[] b ? new String(b, StandardCharsets.UTF_8) : String.valueOf(v));
      }
    }
    return out;
  }

  private static Map<Long, Long> times(List<String> entries) {
    Map<Long, Long> out = new HashMap<>();
    for (String e : entries) {
      int colon = e.indexOf(':');
      out.put(Long.parseLong(e.substring(0, colon)), Long.parseLong(e.substring(colon + 1)));
    }
    return out;
  }
}
