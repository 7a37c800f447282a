package io.lamina.spring.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lamina.spring.LaminaCacheCustomizer;
import java.time.Duration;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.cache.autoconfigure.CacheAutoConfiguration;
import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * A value Lamina refuses fails start-up under the exact property the user wrote and with the value as bound, the
 * reason worded with property names only (never Lamina's setting names such as {@code l1.maximumSize}). No servers.
 */
@ExtendWith(OutputCaptureExtension.class)
class ConfigurationErrorsTest {

  private final ApplicationContextRunner runner = new ApplicationContextRunner()
      .withConfiguration(AutoConfigurations.of(LaminaAutoConfiguration.class, CacheAutoConfiguration.class))
      .withPropertyValues("lamina.local-only=true");

  private void rejects(String property, Object value, String reason, String... properties) {
    runner.withPropertyValues(properties).run(ctx -> {
      InvalidConfigurationPropertyValueException e = find(ctx.getStartupFailure(),
          InvalidConfigurationPropertyValueException.class);
      assertThat(e).as("failure naming a property").isNotNull();
      assertThat(e.getName()).isEqualTo(property);
      assertThat(e.getValue()).isEqualTo(value);
      assertThat(e.getReason()).isEqualTo(reason);
    });
  }

  @Test
  void aNegativeSize_namesTheCachesProperty() {
    rejects("lamina.caches.products.l1.maximum-size", -1L, "must be positive",
        "lamina.caches.products.l1.maximum-size=-1");
  }

  @Test
  void aZeroOrNegativeTtl_namesThePropertyItCameFrom_theCacheOrTheDefaults() {
    rejects("lamina.defaults.l2.ttl", Duration.ZERO, "must be positive", "lamina.defaults.l2.ttl=0s");
    rejects("lamina.caches.products.negative-ttl", Duration.ofSeconds(-5), "must be positive",
        "lamina.defaults.negative-ttl=10s", "lamina.caches.products.negative-ttl=-5s");
  }

  @Test
  void aValueOutOfRange_namesTheProtectionProperty() {
    rejects("lamina.caches.products.protection.hot-keys", -3, "must be within [0, 1024]",
        "lamina.caches.products.protection.hot-keys=-3");
    rejects("lamina.defaults.l1.ttl-jitter", 1.5, "must be in [0, 1)", "lamina.defaults.l1.ttl-jitter=1.5");
  }

  @Test
  void anUnknownEnumValue_failsBindingTheProperty() {
    runner.withPropertyValues("lamina.caches.products.write-strategy=sideways").run(ctx -> {
      BindException e = find(ctx.getStartupFailure(), BindException.class);
      assertThat(e).isNotNull();
      assertThat(e.getProperty()).isNotNull();
      assertThat(e.getProperty().getName()).hasToString("lamina.caches.products.write-strategy");
      assertThat(e.getProperty().getValue()).isEqualTo("sideways");
    });
  }

  @Test
  void busTimingsThatContradictEachOther_nameBothProperties() {
    rejects("lamina.bus.detection-time", Duration.ofMillis(1500),
        "must be at least twice lamina.bus.heartbeat-interval (PT1S)",
        "lamina.bus.heartbeat-interval=1s", "lamina.bus.detection-time=1500ms");
    rejects("lamina.bus.batch-delay", Duration.ofMillis(200), "must be shorter than lamina.bus.heartbeat-interval"
        + " (PT0.1S)", "lamina.bus.batch-delay=200ms");
    rejects("lamina.bus.heartbeat-interval", Duration.ZERO, "must be positive", "lamina.bus.heartbeat-interval=0s");
  }

  @Test
  void schemaVersionsThatContradictEachOther_nameBothProperties() {
    rejects("lamina.previous-schema-versions", List.of(1, 2),
        "must not contain the current lamina.schema-version (2)",
        "lamina.schema-version=2", "lamina.previous-schema-versions=1,2");
  }

  @Test
  void l1AgesThatContradictEachOther_nameBothProperties() {
    runner.withPropertyValues("lamina.caches.p.l1.expire-after-write=20m", "lamina.defaults.l1.max-age=10m")
        .run(ctx -> {
          InvalidConfigurationPropertyValueException e = find(ctx.getStartupFailure(),
              InvalidConfigurationPropertyValueException.class);
          assertThat(e).isNotNull();
          assertThat(e.getName()).isEqualTo("lamina.caches.p.l1.expire-after-write");
          assertThat(e.getValue()).isEqualTo(Duration.ofMinutes(20));
          assertThat(e.getReason()).contains("lamina.defaults.l1.max-age (PT10M)");
        });
  }

  @Configuration(proxyBeanMethods = false)
  static class LongerL1 {
    @Bean
    LaminaCacheCustomizer longerL1() {
      return settings -> settings.config().l1ExpireAfterWrite(Duration.ofMinutes(20));
    }
  }

  @Test
  void aConflictACustomizerCaused_namesTheProperties_andSaysNoPropertySetTheValue() {
    runner.withUserConfiguration(LongerL1.class).withPropertyValues("lamina.caches.products.l1.max-age=10m")
        .run(ctx -> {
          InvalidConfigurationPropertyValueException e = find(ctx.getStartupFailure(),
              InvalidConfigurationPropertyValueException.class);
          assertThat(e).isNotNull();
          assertThat(e.getName()).isEqualTo("lamina.caches.products.l1.expire-after-write");
          assertThat(e.getValue()).isEqualTo(Duration.ofMinutes(20));
          assertThat(e.getReason()).isEqualTo("must not exceed lamina.caches.products.l1.max-age (PT10M), the hard"
              + " cap on a local entry's age (no property sets it: Lamina's default, or a LaminaCacheCustomizer's"
              + " value)");
        });
  }

  @Configuration(proxyBeanMethods = false)
  static class NegativeSize {
    @Bean
    LaminaCacheCustomizer negativeSize() {
      return settings -> settings.config().l1MaximumSize(-7);
    }
  }

  @Test
  void aValueRefusedInACustomizer_isAnalyzedWithItsSettingAndValue() {
    runner.withUserConfiguration(NegativeSize.class).withPropertyValues("lamina.caches.products.l2.enabled=false")
        .run(ctx -> {
          assertThat(ctx).hasFailed();
          FailureAnalysis analysis = new LaminaFailureAnalyzer().analyze(ctx.getStartupFailure());
          assertThat(analysis).isNotNull();
          assertThat(analysis.getDescription())
              .isEqualTo("Lamina refused the value -7 of l1.maximumSize: it must be positive.");
          assertThat(analysis.getAction()).contains("LaminaCacheCustomizer");
        });
  }

  @Configuration(proxyBeanMethods = false)
  @ImportAutoConfiguration({LaminaAutoConfiguration.class, CacheAutoConfiguration.class})
  static class App {}

  @Test
  void theStartUpReport_namesThePropertyTheValueAndTheReason(CapturedOutput output) {
    assertThatThrownBy(() -> new SpringApplicationBuilder(App.class).web(WebApplicationType.NONE)
        .properties("lamina.local-only=true", "lamina.caches.products.l1.maximum-size=-1").run().close());
    assertThat(output).contains("APPLICATION FAILED TO START")
        .contains("Invalid value '-1' for configuration property 'lamina.caches.products.l1.maximum-size'")
        .contains("must be positive")
        .doesNotContain("l1.maximumSize").doesNotContain("l1MaximumSize");
  }

  private static <T extends Throwable> @Nullable T find(@Nullable Throwable failure, Class<T> type) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (type.isInstance(t)) {
        return type.cast(t);
      }
    }
    return null;
  }
}
