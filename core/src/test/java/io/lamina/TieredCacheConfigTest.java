package io.lamina;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TieredCacheConfigTest {

  private static void rejects(Consumer<TieredCacheConfig.Builder> setting, String... messageParts) {
    assertThatThrownBy(() -> {
      TieredCacheConfig.Builder b = TieredCacheConfig.custom();
      setting.accept(b);
      b.build();
    }).isInstanceOf(IllegalArgumentException.class).message().contains(messageParts);
  }

  @Test
  void defaults_areTheDocumentedConstants() {
    TieredCacheConfig c = TieredCacheConfig.ofDefaults();
    assertThat(c.l1MaximumSize()).isEqualTo(TieredCacheConfig.DEFAULT_L1_MAXIMUM_SIZE);
    assertThat(c.l2TtlJitter()).isEqualTo(0.1);
    assertThat(c.l1TtlJitter()).isEqualTo(0.1);
    assertThat(c.writeStrategy()).isEqualTo(WriteStrategy.CACHE_ASIDE);
    assertThat(c.remoteFailureMode()).isEqualTo(RemoteFailureMode.BYPASS);
    assertThat(c.namespace()).isEqualTo("lamina");
  }

  @Test
  void zeroOrNegativeSizes_areRejectedNamingTheSetting() {
    rejects(b -> b.l1MaximumSize(0), "l1.maximumSize", "0");
    rejects(b -> b.l1MaximumSize(-5), "l1.maximumSize", "-5");
    rejects(b -> b.maxKeyBytes(0), "maxKeyBytes");
    rejects(b -> b.maxValueBytes(-1), "maxValueBytes", "-1");
    rejects(b -> b.schemaVersion(0), "schemaVersion");
  }

  @Test
  void zeroOrNegativeDurations_areRejectedNamingTheSetting() {
    rejects(b -> b.l1ExpireAfterWrite(Duration.ZERO), "l1.expireAfterWrite", "PT0S");
    rejects(b -> b.l2Ttl(Duration.ofSeconds(-1)), "l2.ttl", "PT-1S");
    rejects(b -> b.negativeTtl(Duration.ZERO), "negativeTtl");
    rejects(b -> b.tombstoneTtl(Duration.ZERO), "tombstoneTtl");
    rejects(b -> b.loadTimeout(Duration.ZERO), "loadTimeout");
    rejects(b -> b.remoteTimeout(Duration.ofMillis(-1)), "remoteTimeout");
    rejects(b -> b.writeTimeout(Duration.ZERO), "writeTimeout");
    rejects(b -> b.l1MaxAge(Duration.ZERO), "l1.maxAge");
  }

  @ParameterizedTest
  @ValueSource(doubles = {-0.1, 1.0, 1.5, Double.NaN})
  void jitterOutsideZeroToOne_isRejected(double jitter) {
    rejects(b -> b.l2TtlJitter(jitter), "l2.ttlJitter", "[0, 1)");
    rejects(b -> b.l1TtlJitter(jitter), "l1.ttlJitter", "[0, 1)");
  }

  @Test
  void jitterZero_isAllowed() {
    assertThat(TieredCacheConfig.custom().l2TtlJitter(0).build().l2TtlJitter()).isZero();
  }

  @Test
  void negativeDegradedMaxAge_isRejected_zeroMeansBypass() {
    rejects(b -> b.degradedMaxAge(Duration.ofMillis(-1)), "degradedMaxAge", "PT-0.001S");
    assertThat(TieredCacheConfig.ofDefaults().degradedMaxAge()).isZero();
  }

  @Test
  void l1TtlAboveMaxAge_isRejectedNamingBoth() {
    rejects(b -> b.l1ExpireAfterWrite(Duration.ofMinutes(20)).l1MaxAge(Duration.ofMinutes(10)),
        "l1.expireAfterWrite must not exceed l1.maxAge (PT10M)", "but was PT20M");
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "a:b", "with space", "star*", "q?", "[x]", "ü"})
  void namespaceWithSeparatorsOrPatterns_isRejected(String ns) {
    rejects(b -> b.namespace(ns), "namespace", "[A-Za-z0-9._-]");
  }

  @Test
  void currentSchemaVersionAmongPrevious_isRejected() {
    rejects(b -> b.schemaVersion(2).previousSchemaVersions(List.of(1, 2)), "previousSchemaVersions", "2");
  }

  @Test
  void writeBehindQueueOfZero_isRejected() {
    assertThatThrownBy(() -> new WriteBehindConfig(0, 10, Duration.ofMillis(1), 1, Duration.ofMillis(1),
        Duration.ofMillis(1), Duration.ofSeconds(1)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("writeBehind.queueCapacity");
  }

  @Test
  void writeBehindBackoffAboveMax_isRejected() {
    assertThatThrownBy(() -> new WriteBehindConfig(10, 10, Duration.ofMillis(1), 1, Duration.ofSeconds(10),
        Duration.ofSeconds(1), Duration.ofSeconds(1)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("writeBehind.retryBackoff");
  }

  @Test
  void from_copiesEverySetting() {
    TieredCacheConfig base = TieredCacheConfig.custom().namespace("svc").l1MaximumSize(7)
        .l2Ttl(Duration.ofMinutes(3)).writeStrategy(WriteStrategy.WRITE_AROUND).schemaVersion(3)
        .previousSchemaVersions(List.of(2)).build();
    TieredCacheConfig copy = TieredCacheConfig.from(base).build();
    assertThat(copy.toString()).isEqualTo(base.toString());
    assertThat(TieredCacheConfig.from(base).l1MaximumSize(9).build().l1MaximumSize()).isEqualTo(9);
    assertThat(base.l1MaximumSize()).isEqualTo(7);
  }

  @Test
  void durationsBeyondAYear_areRejectedNamingTheSetting() {
    Duration huge = Duration.ofNanos(Long.MAX_VALUE);
    rejects(b -> b.loadTimeout(huge), "loadTimeout", "365 days");
    rejects(b -> b.remoteTimeout(ChronoUnit.FOREVER.getDuration()), "remoteTimeout", "365 days");
    rejects(b -> b.l2Ttl(Duration.ofDays(366)), "l2.ttl", "365 days");
    rejects(b -> b.degradedMaxAge(huge), "degradedMaxAge", "365 days");
    assertThatThrownBy(() -> ProtectionConfig.custom().staleIfError(huge))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("protection.staleIfError");
    assertThatThrownBy(() -> new BusConfig(Duration.ofMillis(100), Duration.ofSeconds(2), 10, huge))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("bus.batchDelay");
    assertThat(TieredCacheConfig.custom().l2Ttl(Duration.ofDays(365)).build().l2Ttl()).hasDays(365);
  }
}
