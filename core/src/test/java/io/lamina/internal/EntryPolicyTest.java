package io.lamina.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lamina.ProtectionConfig;
import io.lamina.TieredCacheConfig;
import io.lamina.spi.Version;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * An L1 entry's life: the L1 TTL (doubled for a hot key), never past L2's copy nor past Δ from when the value was
 * obtained; the stale window extends it only up to Δ; a value's own TTL is a hard end.
 */
class EntryPolicyTest {

  private static final long MS = 1_000_000L;
  private static final Generation GENERATION = new Generation(0);

  private static EntryPolicy<String> policy(Duration ownTtl) {
    TieredCacheConfig config = TieredCacheConfig.custom().l1ExpireAfterWrite(Duration.ofMillis(1_000))
        .l1TtlJitter(0).l1MaxAge(Duration.ofMillis(3_000))
        .protection(ProtectionConfig.custom().staleWhileRevalidate(Duration.ofMillis(5_000)).build()).build();
    return new EntryPolicy<>("items", config, v -> Long.parseLong(v.substring(1)),
        v -> v.startsWith("o") ? ownTtl : null);
  }

  private static long freshFor(EntryPolicy<String> p, ValueEntry e) {
    return p.freshUntilNanos(e) - e.storedAtNanos();
  }

  @Test
  void aLoadedEntry_isFreshForTheL1Ttl_doubledWhenHot_andNeverPastL2sCopy() {
    EntryPolicy<String> p = policy(Duration.ofMillis(100));
    long now = 10_000 * MS;
    ValueEntry plain = p.loaded("v1", Version.NONE, GENERATION, 1, now, now, 0, false);
    ValueEntry hot = p.loaded("v1", Version.NONE, GENERATION, 1, now, now, 0, true);
    ValueEntry shortL2 = p.loaded("v1", Version.NONE, GENERATION, 1, now, now, 400, true);
    assertThat(freshFor(p, plain)).isEqualTo(1_000 * MS);
    assertThat(freshFor(p, hot)).isEqualTo(2_000 * MS);
    assertThat(freshFor(p, shortL2)).isEqualTo(400 * MS);
  }

  @Test
  void theStaleWindow_andAnOldLoad_neverCarryAnEntryPastTheHardMaxAge() {
    EntryPolicy<String> p = policy(Duration.ofMillis(100));
    long obtained = 10_000 * MS;
    long now = obtained + 2_500 * MS; // the value was read 2.5 s before it is stored; Δ is 3 s
    ValueEntry e = p.loaded("v1", Version.NONE, GENERATION, 1, obtained, now, 0, false);
    assertThat(p.freshUntilNanos(e)).isLessThanOrEqualTo(obtained + 3_000 * MS);
    assertThat(e.deadlineNanos()).isEqualTo(obtained + 3_000 * MS);
    ValueEntry written = p.written("v1", Version.NONE, GENERATION, 1, now, -1);
    assertThat(written.deadlineNanos()).isEqualTo(now + 3_000 * MS); // 1 s fresh + 5 s stale, cut to Δ
  }

  @Test
  void aValuesOwnTtl_isAHardEnd_thatNoStaleWindowExtends() {
    EntryPolicy<String> p = policy(Duration.ofMillis(100));
    long now = 10_000 * MS;
    ValueEntry e = p.loaded("o7", Version.NONE, GENERATION, 7, now, now, p.l2TtlMillis("o7"), false);
    assertThat(p.l2TtlMillis("o7")).isEqualTo(100);
    assertThat(freshFor(p, e)).isLessThanOrEqualTo(100 * MS);
    assertThat(e.deadlineNanos()).isEqualTo(now + 100 * MS);
    assertThat(p.sourceVersionOf("o7")).isEqualTo(7);
    assertThat(p.sourceVersionOf(null)).isEqualTo(ValueEntry.NO_SOURCE_VERSION);
  }

  @Test
  void anOwnTtlUnderOneMillisecond_isRefusedNamingTheCache_andAVeryLongOneIsCut() {
    assertThatThrownBy(() -> policy(Duration.ofNanos(10)).l2TtlMillis("o1"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("cache 'items'")
        .hasMessageContaining("PT0.00000001S");
    assertThat(policy(Duration.ofDays(100_000)).l2TtlMillis("o1")).isEqualTo(Duration.ofDays(3650).toMillis());
  }
}
