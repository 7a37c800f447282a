package io.lamina.examples;

import static org.assertj.core.api.Assertions.assertThat;

import io.lamina.TieredCacheStats;
import io.lamina.testkit.server.RedisServer;
import io.lamina.testkit.server.WithRedis;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

@WithRedis
class PlainJavaDemoIT {

  @Test
  void demo_showsTierHits_andAWriteSeenOnTheOtherNode(RedisServer redis) {
    ByteArrayOutputStream buffer = new ByteArrayOutputStream();
    TieredCacheStats b = new PlainJavaDemo(new PrintStream(buffer, true, StandardCharsets.UTF_8)).run(redis.url());
    String out = buffer.toString(StandardCharsets.UTF_8);
    assertThat(out).contains("node B get(2)").contains("name=Grinder");
    assertThat(b.l2().hits()).as("B read product 1, product 2 and the negative 3 from L2").isEqualTo(3);
    assertThat(b.loads()).as("B never went to the source").isZero();
    assertThat(out).contains("source reads so far: 3");
  }
}
