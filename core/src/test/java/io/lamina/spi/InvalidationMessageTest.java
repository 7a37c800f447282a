package io.lamina.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lamina.spi.InvalidationMessage.Entry;
import io.lamina.spi.InvalidationMessage.Kind;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class InvalidationMessageTest {

  private final InvalidationMessage sample = new InvalidationMessage(Kind.INVALIDATE, UUID.randomUUID(), 42L, 7L,
      1_700_000_000_000_000L, "products", List.of(new Entry("a b\r\n*?[]:.>", new Version(9, 3)), new Entry("", Version.NONE)));

  @Test
  void roundTrip_keepsEveryField() {
    assertThat(InvalidationMessage.decode(sample.encode())).isEqualTo(sample);
    InvalidationMessage heartbeat = new InvalidationMessage(Kind.HEARTBEAT, UUID.randomUUID(), -1, 0, 0, "", List.of());
    assertThat(InvalidationMessage.decode(heartbeat.encode())).isEqualTo(heartbeat);
  }

  @Test
  void everyTruncation_isRejected() {
    byte[] bytes = sample.encode();
    for (int length = 0; length < bytes.length; length++) {
      byte[] cut = Arrays.copyOf(bytes, length);
      assertThatThrownBy(() -> InvalidationMessage.decode(cut)).as("length %d", length)
          .isInstanceOf(IllegalArgumentException.class);
    }
  }

  @Test
  void unknownFormatKindOrMagic_isRejected() {
    byte[] format = sample.encode();
    format[2] = 2;
    assertThatThrownBy(() -> InvalidationMessage.decode(format)).hasMessageContaining("unknown message format 2");
    byte[] kind = sample.encode();
    kind[3] = 17;
    assertThatThrownBy(() -> InvalidationMessage.decode(kind)).hasMessageContaining("unknown message kind");
    byte[] magic = sample.encode();
    magic[0] = 0;
    assertThatThrownBy(() -> InvalidationMessage.decode(magic)).hasMessageContaining("not an invalidation");
  }

  @Test
  void trailingBytes_andLyingCounts_areRejected() {
    byte[] bytes = Arrays.copyOf(sample.encode(), sample.encode().length + 3);
    assertThatThrownBy(() -> InvalidationMessage.decode(bytes)).hasMessageContaining("trailing");
    byte[] lying = sample.encode();
    int countAt = 2 + 1 + 1 + 16 + 8 + 8 + 8 + 2 + "products".length();
    lying[countAt] = 0x7F;
    assertThatThrownBy(() -> InvalidationMessage.decode(lying)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void oversized_isRejectedBothWays() {
    assertThatThrownBy(() -> InvalidationMessage.decode(new byte[InvalidationMessage.MAX_BYTES + 1]))
        .hasMessageContaining("exceeds");
    List<Entry> many = new ArrayList<>();
    for (int i = 0; i < 40_000; i++) {
      many.add(new Entry("k".repeat(20) + i, new Version(1, i)));
    }
    InvalidationMessage big = new InvalidationMessage(Kind.INVALIDATE, UUID.randomUUID(), 1, 1, 0, "c", many);
    assertThatThrownBy(big::encode).hasMessageContaining("exceeds");
  }

  @Test
  void randomBytes_neverCrashTheDecoder() {
    Random random = new Random(7);
    for (int i = 0; i < 20_000; i++) {
      byte[] noise = sample.encode();
      noise[random.nextInt(noise.length)] = (byte) random.nextInt();
      noise[random.nextInt(noise.length)] = (byte) random.nextInt();
      try {
        InvalidationMessage.decode(noise);
      } catch (IllegalArgumentException expected) {
        // rejected cleanly
      }
    }
  }
}
