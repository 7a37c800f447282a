package io.lamina.testkit.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

@WithNats(jetStream = true)
class NatsServerIT {

  @Test
  void startsOnLoopback_withJetStream(NatsServer nats) {
    assertThat(nats.url()).isEqualTo("nats://127.0.0.1:" + nats.port());
    assertThat(nats.info()).contains("\"jetstream\":true").contains("\"port\":" + nats.port());
  }

  @Test
  void withoutJetStream_infoSaysSo_andKillRestartWorks() {
    try (NatsServer nats = NatsServer.start(false)) {
      assertThat(nats.info()).doesNotContain("\"jetstream\":true");
      nats.kill();
      assertThatThrownBy(nats::info).isInstanceOf(IllegalStateException.class);
      nats.restart();
      assertThat(nats.info()).contains("server_id");
    }
  }

  @Test
  void pause_thenResume() {
    try (NatsServer nats = NatsServer.start(false)) {
      nats.pause();
      assertThatThrownBy(() -> NatsServer.readInfo(nats.host(), nats.port(), 300))
          .isInstanceOf(IllegalStateException.class);
      nats.resume();
      assertThat(nats.info()).contains("server_id");
    }
  }
}
