package io.lamina.testkit.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.lamina.testkit.server.ServerResolution.Source;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ServerResolutionTest {

  private static final Map<String, String> NO_PATH = Map.of("PATH", "/nonexistent");

  @Test
  void explicitProperty_winsOverEverything() {
    ServerResolution r = ServerResolution.resolve(ServerKind.REDIS,
        Map.of("lamina.redis.url", "redis://127.0.0.1:7000"), Map.of("LAMINA_REDIS_URL", "redis://x:1"), () -> true);
    assertThat(r.source()).isEqualTo(Source.EXPLICIT_URL);
    assertThat(r.url()).isEqualTo("redis://127.0.0.1:7000");
  }

  @Test
  void environmentVariable_isUsedWhenThePropertyIsNot() {
    ServerResolution r = ServerResolution.resolve(ServerKind.NATS, Map.of(),
        Map.of("LAMINA_NATS_URL", "nats://127.0.0.1:4300"), () -> false);
    assertThat(r.source()).isEqualTo(Source.EXPLICIT_URL);
    assertThat(r.url()).isEqualTo("nats://127.0.0.1:4300");
  }

  @Test
  void binaryInAPathDirectory_isAChildProcess() {
    ServerResolution r = ServerResolution.resolve(ServerKind.REDIS, Map.of(), Map.of("PATH", "/usr/bin"),
        () -> false);
    if (ServerResolution.findBinary("redis-server", "/usr/bin").isPresent()) {
      assertThat(r.source()).isEqualTo(Source.CHILD_PROCESS);
      assertThat(r.binary()).isNotNull();
    } else {
      assertThat(r.source()).isIn(Source.MISSING, Source.CHILD_PROCESS);
    }
  }

  @Test
  void noBinary_fallsBackToContainers_thenToMissing() {
    assertThat(ServerResolution.findBinary("no-such-server-binary", "/nonexistent")).isEmpty();
    ServerKind kind = ServerKind.REDIS;
    if (ServerResolution.findBinary(kind.binary, "/nonexistent").isPresent()) {
      return; // installed in a standard directory: the fallback cannot be observed for this kind here
    }
    assertThat(ServerResolution.resolve(kind, Map.of(), NO_PATH, () -> true).source()).isEqualTo(Source.CONTAINER);
    assertThat(ServerResolution.resolve(kind, Map.of(), NO_PATH, () -> false).source()).isEqualTo(Source.MISSING);
  }

  @Test
  void requiredFlag_turnsTheMissingMessageIntoAFailureReason() {
    ServerResolution optional = new ServerResolution(ServerKind.NATS, Source.MISSING, null, null, false);
    ServerResolution required = ServerResolution.resolve(ServerKind.NATS,
        Map.of("lamina.it.required", "true", "lamina.nats.url", ""), NO_PATH, () -> false);
    assertThat(required.required()).isTrue();
    assertThat(optional.required()).isFalse();
    assertThat(new ServerResolution(ServerKind.NATS, Source.MISSING, null, null, true).missingMessage())
        .contains("lamina.it.required=true", "fails instead of skipping", "apt-get install nats-server");
    assertThat(optional.missingMessage()).doesNotContain("fails instead");
  }
}
