package io.lamina.bus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lamina.spi.BusChannel;
import io.lamina.spi.BusListener;
import io.lamina.testkit.server.NatsServer;
import io.lamina.testkit.server.WithNats;
import io.nats.client.Connection;
import io.nats.client.JetStreamManagement;
import io.nats.client.api.StorageType;
import io.nats.client.api.StreamConfiguration;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The stream a namespace uses in JetStream mode: its own, with the subjects and limits Lamina asked for. */
@WithNats(jetStream = true)
class JetStreamStreamIT {

  private final NatsServer nats;
  private Connection connection;
  private JetStreamManagement jsm;

  JetStreamStreamIT(NatsServer nats) {
    this.nats = nats;
  }

  @BeforeEach
  void connect() throws Exception {
    connection = NatsInvalidationBus.connect(nats.url());
    jsm = connection.jetStreamManagement();
    for (String name : jsm.getStreamNames()) {
      jsm.deleteStream(name);
    }
  }

  @AfterEach
  void close() throws InterruptedException {
    connection.close();
  }

  private static final class Recorder implements BusListener {
    final List<String> received = new CopyOnWriteArrayList<>();

    @Override
    public void onMessage(byte[] message) {
      received.add(new String(message, StandardCharsets.UTF_8));
    }

    @Override
    public void onMessage(byte[] message, long streamSequence) {
      onMessage(message);
    }

    @Override
    public void onGap(String reason) {}
  }

  @Test
  void namespacesThatDifferOnlyInDotAndUnderscore_getTheirOwnStreams_andHearOnlyTheirOwnMessages() throws Exception {
    NatsInvalidationBus bus = NatsInvalidationBus.withJetStream(connection, Duration.ofMinutes(1));
    Recorder dotted = new Recorder();
    Recorder underscored = new Recorder();
    try (BusChannel a = bus.open("a.b", dotted); BusChannel b = bus.open("a_b", underscored)) {
      a.publish("to a.b".getBytes(StandardCharsets.UTF_8)).toCompletableFuture().join();
      b.publish("to a_b".getBytes(StandardCharsets.UTF_8)).toCompletableFuture().join();
      Awaitility.await().atMost(Duration.ofSeconds(5))
          .until(() -> dotted.received.size() == 1 && underscored.received.size() == 1);
      assertThat(dotted.received).containsExactly("to a.b");
      assertThat(underscored.received).containsExactly("to a_b");
    }
    assertThat(jsm.getStreamInfo(NatsInvalidationBus.stream("a.b")).getConfiguration().getSubjects())
        .containsExactly("lamina.a.b.invalidation");
    assertThat(jsm.getStreamInfo(NatsInvalidationBus.stream("a_b")).getConfiguration().getSubjects())
        .containsExactly("lamina.a_b.invalidation");
  }

  @Test
  void theStream_hasAByteLimit_theDefaultOrTheOneGiven() throws Exception {
    NatsInvalidationBus.withJetStream(connection, Duration.ofMinutes(1)).open("sized", new Recorder()).close();
    assertThat(jsm.getStreamInfo(NatsInvalidationBus.stream("sized")).getConfiguration().getMaxBytes())
        .isEqualTo(NatsInvalidationBus.DEFAULT_MAX_BYTES);

    NatsInvalidationBus.withJetStream(connection, Duration.ofMinutes(1), 1 << 20).open("small", new Recorder())
        .close();
    assertThat(jsm.getStreamInfo(NatsInvalidationBus.stream("small")).getConfiguration().getMaxBytes())
        .isEqualTo(1 << 20);
  }

  @Test
  void anExistingStreamWithOtherSubjects_isRefused_namingTheStreamAndTheSubjects() throws Exception {
    String stream = NatsInvalidationBus.stream("taken");
    jsm.addStream(StreamConfiguration.builder().name(stream).subjects("someone.else.>")
        .storageType(StorageType.File).build());
    NatsInvalidationBus bus = NatsInvalidationBus.withJetStream(connection, Duration.ofMinutes(1));

    assertThatThrownBy(() -> bus.open("taken", new Recorder()))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining(stream)
        .hasMessageContaining("someone.else.>")
        .hasMessageContaining("lamina.taken.invalidation");
    assertThat(jsm.getStreamInfo(stream).getConfiguration().getSubjects()).containsExactly("someone.else.>");
  }

  @Test
  void anExistingStreamInMemory_isRefused_namingTheStorage() throws Exception {
    String stream = NatsInvalidationBus.stream("volatile");
    jsm.addStream(StreamConfiguration.builder().name(stream).subjects(NatsInvalidationBus.subject("volatile"))
        .storageType(StorageType.Memory).build());
    NatsInvalidationBus bus = NatsInvalidationBus.withJetStream(connection, Duration.ofMinutes(1));

    assertThatThrownBy(() -> bus.open("volatile", new Recorder()))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining(stream)
        .hasMessageContaining("storage");
  }

  @Test
  void anExistingLaminaStreamWithOtherLimits_isUpdatedToTheConfiguredOnes() throws Exception {
    String stream = NatsInvalidationBus.stream("resized");
    jsm.addStream(StreamConfiguration.builder().name(stream).subjects(NatsInvalidationBus.subject("resized"))
        .storageType(StorageType.File).maxAge(Duration.ofHours(5)).build()); // no byte limit, as before
    NatsInvalidationBus.withJetStream(connection, Duration.ofMinutes(2), 4 << 20).open("resized", new Recorder())
        .close();

    StreamConfiguration now = jsm.getStreamInfo(stream).getConfiguration();
    assertThat(now.getMaxAge()).isEqualTo(Duration.ofMinutes(2));
    assertThat(now.getMaxBytes()).isEqualTo(4 << 20);
  }

  @Test
  void aNonPositiveByteLimit_isRefusedNamingIt() {
    assertThatThrownBy(() -> NatsInvalidationBus.withJetStream(connection, Duration.ofMinutes(1), 0))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("max-bytes");
  }
}
