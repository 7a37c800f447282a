package io.lamina.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lamina.ValueCodecs;
import io.lamina.spi.ValueCodec;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class EnvelopeTest {

  private final ValueCodec<String> utf8 = ValueCodecs.utf8();

  @Test
  void roundTrip_withHeader() {
    byte[] bytes = Envelope.encode(utf8, "héllo");
    assertThat(bytes[0]).isEqualTo(Envelope.MAGIC);
    assertThat(bytes[1]).isEqualTo(Envelope.FORMAT);
    assertThat(bytes[2] & 0xFF).isEqualTo(ValueCodecs.UTF8_ID);
    assertThat(Envelope.decode(utf8, bytes)).isEqualTo("héllo");
  }

  @Test
  void garbageAndTruncated_areDamage() {
    assertThatThrownBy(() -> Envelope.decode(utf8, new byte[] {1, 2, 3, 4, 5}))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not a Lamina envelope");
    assertThatThrownBy(() -> Envelope.decode(utf8, new byte[] {Envelope.MAGIC, 1}))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Envelope.decode(utf8, new byte[0])).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void otherCodec_isLeftAlone_namingBothIds() {
    byte[] bytes = Envelope.encode(utf8, "x");
    bytes[2] = 77;
    assertThatThrownBy(() -> Envelope.decode(utf8, bytes)).isInstanceOf(Envelope.NewerFormatException.class)
        .hasMessageContaining("codec 77").hasMessageContaining("codec 5");
  }

  @Test
  void newerFormatOrFlags_areNotDamage() {
    byte[] newer = Envelope.encode(utf8, "x");
    newer[1] = 2;
    assertThatThrownBy(() -> Envelope.decode(utf8, newer)).isInstanceOf(Envelope.NewerFormatException.class);
    byte[] compressed = Arrays.copyOf(Envelope.encode(utf8, "x"), 5);
    compressed[3] = Envelope.FLAG_COMPRESSED;
    assertThatThrownBy(() -> Envelope.decode(utf8, compressed)).isInstanceOf(Envelope.NewerFormatException.class);
  }
}
