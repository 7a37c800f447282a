package io.lamina;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lamina.spi.ValueCodec;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ValueCodecsTest {

  private final ValueCodec<Object> checked =
      ValueCodecs.checked(String.class, ValueCodecs.utf8(), "lamina.caches.names");

  @Test
  void checked_passesItsTypeThrough_withTheCodecsId() {
    byte[] bytes = checked.encode("ü");
    assertThat(bytes).isEqualTo("ü".getBytes(StandardCharsets.UTF_8));
    assertThat(checked.decode(bytes, 0, bytes.length)).isEqualTo("ü");
    assertThat(checked.id()).isEqualTo(ValueCodecs.UTF8_ID);
  }

  @Test
  void checked_refusesAnotherType_namingTheSettingToChange() {
    assertThatThrownBy(() -> checked.encode(42L)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("java.lang.Long").hasMessageContaining("lamina.caches.names.codec");
  }
}
