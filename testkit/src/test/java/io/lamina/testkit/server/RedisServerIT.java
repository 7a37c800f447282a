package io.lamina.testkit.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

@WithRedis(args = {"--maxmemory", "64mb"})
class RedisServerIT {

  @Test
  void startsOnLoopback_andAnswers(RedisServer redis) {
    assertThat(redis.host()).isEqualTo("127.0.0.1");
    assertThat(redis.url()).isEqualTo("redis://127.0.0.1:" + redis.port());
    assertThat(redis.command("PING")).isEqualTo("PONG");
    assertThat(redis.command("CONFIG", "GET", "maxmemory").toString()).contains(Long.toString(64L * 1024 * 1024));
  }

  @Test
  void bulkReplies_areBinarySafe(RedisServer redis) {
    redis.commandBytes("SET".getBytes(), "bin".getBytes(), new byte[] {0, 13, 10, -1});
    assertThat((byte[]) redis.commandBytes("GET".getBytes(), "bin".getBytes())).containsExactly(0, 13, 10, -1);
  }

  @Test
  void kill_thenRestart_comesBackOnTheSamePort_withANewRunId() {
    try (RedisServer redis = RedisServer.start()) {
      int port = redis.port();
      String runId = redis.runId();
      redis.kill();
      assertThatThrownBy(() -> redis.command("PING")).isInstanceOf(IllegalStateException.class);
      redis.restart();
      assertThat(redis.port()).isEqualTo(port);
      assertThat(redis.command("PING")).isEqualTo("PONG");
      assertThat(redis.runId()).isNotEqualTo(runId);
    }
  }

  @Test
  void pause_stopsAnswers_untilResume() {
    try (RedisServer redis = RedisServer.start()) {
      redis.pause();
      assertThatThrownBy(() -> Resp.command(redis.host(), redis.port(), 300, Resp.utf8("PING")))
          .isInstanceOf(IllegalStateException.class).hasMessageContaining("did not answer");
      redis.resume();
      assertThat(redis.command("PING")).isEqualTo("PONG");
    }
  }

  @Test
  void externalServer_hasNoFaultHandles() {
    RedisServer external = RedisServer.external("redis://127.0.0.1:1");
    assertThatThrownBy(external::kill).isInstanceOf(UnsupportedOperationException.class)
        .hasMessageContaining("given explicitly");
  }

  @Test
  void errorReplies_areExceptions(RedisServer redis) {
    assertThatThrownBy(() -> redis.command("NOSUCHCOMMAND")).isInstanceOf(Resp.ErrorReply.class);
  }
}
