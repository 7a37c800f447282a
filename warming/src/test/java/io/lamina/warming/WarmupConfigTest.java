package io.lamina.warming;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lamina.InvalidSettingException;
import java.time.Duration;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class WarmupConfigTest {

  static Stream<Arguments> badValues() {
    return Stream.of(
        bad("warming.batchSize", 0, b -> b.batchSize(0), "must be within [1, 10000]"),
        bad("warming.batchSize", 10_001, b -> b.batchSize(10_001), "must be within [1, 10000]"),
        bad("warming.sourceRateLimit", 0, b -> b.sourceRateLimit(0), "must be within [1, 1000000]"),
        bad("warming.concurrency", 65, b -> b.concurrency(65), "must be within [1, 64]"),
        bad("warming.maxKeys", -1, b -> b.maxKeys(-1), "must be within [1, 10000000]"),
        bad("warming.deadline", Duration.ofMillis(9), b -> b.deadline(Duration.ofMillis(9)), "must be at least 10 ms"),
        bad("warming.progressInterval", Duration.ZERO, b -> b.progressInterval(Duration.ZERO),
            "must be at least 100 ms"));
  }

  private static Arguments bad(String setting, Object value, Consumer<WarmupConfig.Builder> set, String rule) {
    return Arguments.of(setting, value, set, rule);
  }

  @ParameterizedTest(name = "{0}={1}")
  @MethodSource("badValues")
  void badValue_failsAtOnce_namingTheSettingAndTheValue(String setting, Object value,
      Consumer<WarmupConfig.Builder> set, String rule) {
    assertThatThrownBy(() -> set.accept(WarmupConfig.custom()))
        .isInstanceOfSatisfying(InvalidSettingException.class, e -> {
          assertThat(e.setting()).isEqualTo(setting);
          assertThat(e.value()).isEqualTo(value);
          assertThat(e.relatedSettings()).isEmpty();
        })
        .hasMessageStartingWith(setting + " " + rule)
        .hasMessageEndingWith(", but was " + value);
  }

  @Test
  void missingValue_failsAtOnce_namingTheSetting() {
    assertThatThrownBy(() -> WarmupConfig.custom().mode(null)).hasMessage("warming.mode");
    assertThatThrownBy(() -> WarmupConfig.custom().deadline(null)).hasMessage("warming.deadline");
    assertThatThrownBy(() -> WarmupConfig.custom().progressInterval(null)).hasMessage("warming.progressInterval");
  }

  @Test
  void boundaryValues_areAccepted() {
    WarmupConfig config = WarmupConfig.custom().batchSize(10_000).sourceRateLimit(1).concurrency(64).maxKeys(1)
        .deadline(Duration.ofMillis(10)).progressInterval(Duration.ofMillis(100)).build();
    assertThat(config.batchSize()).isEqualTo(10_000);
    assertThat(WarmupConfig.from(config).build().deadline()).isEqualTo(Duration.ofMillis(10));
  }
}
