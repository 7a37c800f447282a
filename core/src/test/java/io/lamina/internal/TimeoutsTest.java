package io.lamina.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.lamina.ProtectionConfig;
import io.lamina.TieredCacheConfig;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** A joiner outwaits the load it joined, a reservation outlives its joiners, records outlive every load. */
class TimeoutsTest {

  private static final long MS = 1_000_000L;

  private static Timeouts of(boolean distributedSingleFlight) {
    return Timeouts.of(TieredCacheConfig.custom().loadTimeout(Duration.ofMillis(800))
        .remoteTimeout(Duration.ofMillis(200)).degradedMaxAge(Duration.ofMillis(50))
        .protection(ProtectionConfig.custom().distributedSingleFlight(distributedSingleFlight).build()).build());
  }

  @Test
  void aJoinerWaitsForOneLoad_andAQuarterMore() {
    Timeouts t = of(false);
    assertThat(t.load()).isEqualTo(800 * MS);
    assertThat(t.remote()).isEqualTo(200 * MS);
    assertThat(t.degradedMaxAge()).isEqualTo(50 * MS);
    assertThat(t.join()).isEqualTo(1_000 * MS);
    assertThat(t.reservation()).isEqualTo(1_200 * MS);
    assertThat(t.records()).isEqualTo(1_600 * MS);
  }

  @Test
  void withDistributedSingleFlight_aJoinerAlsoWaitsOutTheWaitForAnotherNode() {
    Timeouts t = of(true);
    // a lease wait (a load and a remote call), then a load of its own and its fill: 2 x (800 + 200) ms
    assertThat(t.join()).isEqualTo(2_500 * MS);
    assertThat(t.reservation()).isEqualTo(2_700 * MS).isGreaterThan(t.join());
    assertThat(t.records()).isEqualTo(1_600 * MS);
  }
}
