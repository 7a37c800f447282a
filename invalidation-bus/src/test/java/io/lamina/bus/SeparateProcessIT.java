package io.lamina.bus;

import static org.assertj.core.api.Assertions.assertThat;

import io.lamina.TieredCache;
import io.lamina.testkit.server.NatsServer;
import io.lamina.testkit.server.RedisServer;
import io.nats.client.Connection;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.redisson.api.RedissonClient;
import org.redisson.client.codec.StringCodec;

/** A node in another JVM process: coherent with this one, and safe after its JVM was frozen. */
class SeparateProcessIT {

  private RedisServer redis;
  private NatsServer nats;
  private RedissonClient client;
  private Connection connection;
  private TieredCache<String, String> local;
  private Process child;
  private PrintWriter toChild;
  private BufferedReader fromChild;

  @BeforeEach
  void start() throws Exception {
    redis = RedisServer.start();
    nats = NatsServer.start(false);
    client = RedisPubSubBusIT.client(redis);
    connection = NatsInvalidationBus.connect(nats.url());
    local = Nodes.node("procs", "items", client, NatsInvalidationBus.of(connection),
        key -> client.<String, String>getMap("source", StringCodec.INSTANCE).get(key), Duration.ofMillis(100),
        Duration.ofMillis(500));
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    child = new ProcessBuilder(List.of(java, "-cp", System.getProperty("java.class.path"),
        NodeProcess.class.getName(), redis.url(), nats.url())).redirectError(ProcessBuilder.Redirect.DISCARD).start();
    toChild = new PrintWriter(child.getOutputStream(), true, StandardCharsets.UTF_8);
    fromChild = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
    assertThat(fromChild.readLine()).isEqualTo("ready");
    Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> "trusted true".equals(ask("trusted"))
        && local.coherence().trusted());
  }

  @AfterEach
  void stop() throws Exception {
    if (child.isAlive()) {
      new ProcessBuilder("kill", "-CONT", Long.toString(child.pid())).start().waitFor();
      toChild.println("quit");
      if (!child.waitFor(10, TimeUnit.SECONDS)) {
        child.destroyForcibly();
      }
    }
    local.close();
    connection.close();
    client.shutdown();
    nats.close();
    redis.close();
  }

  private String ask(String command) throws Exception {
    toChild.println(command);
    return fromChild.readLine();
  }

  private void setSource(String key, String value) {
    client.<String, String>getMap("source", StringCodec.INSTANCE).put(key, value);
  }

  @Test
  @Timeout(60)
  void writeHere_isSeenThere() throws Exception {
    setSource("k", "v1");
    assertThat(ask("get k")).isEqualTo("value v1");
    assertThat(ask("get k")).isEqualTo("value v1");
    setSource("k", "v2");
    local.invalidate("k");
    Awaitility.await().atMost(Duration.ofSeconds(2)).pollInterval(Duration.ofMillis(5))
        .until(() -> "value v2".equals(ask("get k")));
  }

  @Test
  @Timeout(90)
  void frozenJvm_wakesUp_andServesNothingItShouldHaveDropped() throws Exception {
    setSource("k", "v1");
    assertThat(ask("get k")).isEqualTo("value v1");
    assertThat(ask("get k")).isEqualTo("value v1"); // now in the child's L1
    Process stop = new ProcessBuilder("kill", "-STOP", Long.toString(child.pid())).start();
    assertThat(stop.waitFor()).isZero();
    setSource("k", "v2");
    local.invalidate("k"); // the message reaches NATS; the frozen child cannot read it
    Thread.sleep(10_000); // the fault under test is the freeze itself: it must last
    toChild.println("get k"); // queued before waking: it races the invalidation waiting in the socket
    new ProcessBuilder("kill", "-CONT", Long.toString(child.pid())).start().waitFor();
    String first = fromChild.readLine();
    assertThat(first).as("the first read after waking").isEqualTo("value v2");
    for (int i = 0; i < 20; i++) {
      assertThat(ask("get k")).isEqualTo("value v2");
    }
  }
}
