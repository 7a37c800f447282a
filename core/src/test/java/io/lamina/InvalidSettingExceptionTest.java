package io.lamina;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.time.Duration;
import java.util.List;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;

/** Every refused configuration value names its setting and value in fields, not only in the message. */
class InvalidSettingExceptionTest {

  @Test
  void aNegativeSize_carriesTheSettingAndTheValue() {
    InvalidSettingException e = catchThrowableOfType(InvalidSettingException.class,
        () -> TieredCacheConfig.custom().l1MaximumSize(-5));
    assertThat(e).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("l1.maximumSize must be positive, but was -5");
    assertThat(e.setting()).isEqualTo("l1.maximumSize");
    assertThat(e.value()).isEqualTo(-5L);
    assertThat(e.relatedSettings()).isEmpty();
    assertThat(e.requirement(name -> "never called")).isEqualTo("must be positive");
  }

  @Test
  void eachGroupNamesItsSettings() {
    assertThat(setting(() -> TieredCacheConfig.custom().l2Ttl(Duration.ZERO))).isEqualTo("l2.ttl");
    assertThat(setting(() -> TieredCacheConfig.custom().l1TtlJitter(1.5))).isEqualTo("l1.ttlJitter");
    assertThat(setting(() -> TieredCacheConfig.custom().negativeTtl(Duration.ofSeconds(-1)))).isEqualTo("negativeTtl");
    assertThat(setting(() -> TieredCacheConfig.custom().namespace("a b"))).isEqualTo("namespace");
    assertThat(setting(() -> ProtectionConfig.custom().hotKeys(-1))).isEqualTo("protection.hotKeys");
    assertThat(setting(() -> new BusConfig(Duration.ZERO, Duration.ofSeconds(2), 1, Duration.ofMillis(1))))
        .isEqualTo("bus.heartbeatInterval");
    assertThat(setting(() -> new WriteBehindConfig(0, 1, Duration.ofMillis(1), 1, Duration.ofMillis(1),
        Duration.ofMillis(1), Duration.ofSeconds(1)))).isEqualTo("writeBehind.queueCapacity");
  }

  @Test
  void aPairThatContradictsItself_namesTheOtherSettingThroughTheGivenNames() {
    InvalidSettingException e = catchThrowableOfType(InvalidSettingException.class, () -> TieredCacheConfig.custom()
        .l1ExpireAfterWrite(Duration.ofMinutes(20)).l1MaxAge(Duration.ofMinutes(10)).build());
    assertThat(e.setting()).isEqualTo("l1.expireAfterWrite");
    assertThat(e.value()).isEqualTo(Duration.ofMinutes(20));
    assertThat(e.relatedSettings()).containsExactly("l1.maxAge");
    assertThat(e.requirement(name -> "my." + name))
        .isEqualTo("must not exceed my.l1.maxAge (PT10M), the hard cap on a local entry's age");
    assertThat(e).hasMessage("l1.expireAfterWrite must not exceed l1.maxAge (PT10M), the hard cap on a local"
        + " entry's age, but was PT20M");
  }

  @Test
  void busTimings_nameTheHeartbeatTheyAreCheckedAgainst() {
    InvalidSettingException e = catchThrowableOfType(InvalidSettingException.class,
        () -> new BusConfig(Duration.ofSeconds(1), Duration.ofMillis(1500), 10, Duration.ofMillis(1)));
    assertThat(e.setting()).isEqualTo("bus.detectionTime");
    assertThat(e.value()).isEqualTo(Duration.ofMillis(1500));
    assertThat(e.relatedSettings()).containsExactly("bus.heartbeatInterval");
  }

  @Test
  void textIsQuoted_andSeveralRelatedSettingsFillTheirPlaces() {
    InvalidSettingException e = new InvalidSettingException("a", "x y", "must differ from {0} and {1}", "b", "c");
    assertThat(e).hasMessage("a must differ from b and c, but was 'x y'");
    assertThat(e.requirement(String::toUpperCase)).isEqualTo("must differ from B and C");
    assertThat(e.relatedSettings()).isEqualTo(List.of("b", "c"));
  }

  private static String setting(ThrowingCallable call) {
    return catchThrowableOfType(InvalidSettingException.class, call).setting();
  }
}
