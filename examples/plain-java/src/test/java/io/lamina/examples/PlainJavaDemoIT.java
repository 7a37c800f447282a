package io.lamina.examples;

import static org.assertj.core.api.Assertions.assertThat;

import io.lamina.testkit.server.NatsServer;
import io.lamina.testkit.server.RedisServer;
import io.lamina.testkit.server.WithNats;
import io.lamina.testkit.server.WithRedis;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

@WithRedis
@WithNats
class PlainJavaDemoIT {

  @Test
  void demo_showsTiers_coherence_singleFlight_andARedisOutageRidden(RedisServer redis, NatsServer nats) {
    ByteArrayOutputStream buffer = new ByteArrayOutputStream();
    PlainJavaDemo.Result result =
        new PlainJavaDemo(new PrintStream(buffer, true, StandardCharsets.UTF_8)).run(redis, true, nats);
    String out = buffer.toString(StandardCharsets.UTF_8);

    assertThat(out).contains("node B get(2), from L2").contains("name=Grinder");
    assertThat(result.nodeA().l1().hits()).as("node A's second get(1) was an L1 hit").isPositive();
    assertThat(out).contains("node B get(1): the new price").contains("priceCents=29900");
    assertThat(result.dropMicros()).as("node B dropped the key well within the bus bound (2 s)")
        .isLessThan(500_000);
    assertThat(result.singleFlightCallers()).isEqualTo(50);
    assertThat(result.singleFlightSourceReads()).as("one load across both nodes").isEqualTo(1);

    RedisOutageScene.Outcome outage = result.outage();
    assertThat(outage).isNotNull();
    assertThat(outage.breakerDuringOutage()).isEqualTo("OPEN");
    assertThat(outage.firstMissMillis()).as("a miss waits about the remote timeout, not forever").isLessThan(3_000);
    assertThat(outage.missAfterOpenMicros()).as("an open breaker skips Redis").isLessThan(200_000);
    assertThat(outage.staleServed()).as("stale-if-error served the expired entry").isNotNull();
    assertThat(out).contains("both breakers CLOSED again")
        .contains("node B reads it from L2: yes");
  }
}
