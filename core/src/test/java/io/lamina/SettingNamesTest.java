package io.lamina;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** A setting's property is each dotted segment in kebab case, under the prefix a framework gives. */
class SettingNamesTest {

  @Test
  void aSettingsProperty_isItsKebabCase() {
    assertThat(SettingNames.property("l1.maximumSize")).isEqualTo("l1.maximum-size");
    assertThat(SettingNames.property("protection.distributedSingleFlight"))
        .isEqualTo("protection.distributed-single-flight");
    assertThat(SettingNames.property("l2.ttl")).isEqualTo("l2.ttl");
    assertThat(SettingNames.property("namespace")).isEqualTo("namespace");
  }

  @Test
  void properties_areUnderThePrefix_oneForEachSetting() {
    Map<String, String> global = SettingNames.properties(SettingNames.GLOBAL, "lamina.");
    assertThat(global).hasSize(SettingNames.GLOBAL.size())
        .containsEntry("bus.stalenessBound", "lamina.bus.staleness-bound")
        .containsEntry("previousSchemaVersions", "lamina.previous-schema-versions");
    assertThat(SettingNames.properties(SettingNames.PER_CACHE, "")).hasSize(25)
        .containsEntry("protection.hotKeyWindow", "protection.hot-key-window");
  }
}
