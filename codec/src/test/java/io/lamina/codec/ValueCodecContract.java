package io.lamina.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lamina.spi.ValueCodec;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** What every value codec must do; each codec's test extends it. */
public abstract class ValueCodecContract {

  /** A codec for {@link Sample} with everything it needs registered. */
  protected abstract ValueCodec<Sample> codec();

  @Test
  void roundTrip_ofATenFieldValue() {
    Sample s = Sample.of(7);
    byte[] bytes = codec().encode(s);
    assertThat(bytes.length).isBetween(200, 4000);
    assertThat(codec().decode(bytes, 0, bytes.length)).isEqualTo(s);
  }

  @Test
  void decode_honoursOffsetAndLength() {
    Sample s = Sample.of(3);
    byte[] body = codec().encode(s);
    byte[] framed = new byte[body.length + 9];
    Arrays.fill(framed, (byte) 0x5A);
    System.arraycopy(body, 0, framed, 4, body.length);
    assertThat(codec().decode(framed, 4, body.length)).isEqualTo(s);
  }

  @Test
  void garbage_isRejectedWithAnException() {
    byte[] garbage = new byte[64];
    new Random(42).nextBytes(garbage);
    assertThatThrownBy(() -> codec().decode(garbage, 0, garbage.length)).isInstanceOf(RuntimeException.class);
  }

  @Test
  void truncatedBytes_areRejectedWithAnException() {
    byte[] bytes = codec().encode(Sample.of(5));
    assertThatThrownBy(() -> codec().decode(bytes, 0, bytes.length / 2)).isInstanceOf(RuntimeException.class);
    assertThatThrownBy(() -> codec().decode(bytes, 0, 0)).isInstanceOf(RuntimeException.class);
  }

  @Test
  void concurrentRoundTrips_areCorrect() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      List<Future<?>> all = new ArrayList<>();
      for (int t = 0; t < 8; t++) {
        int thread = t;
        all.add(pool.submit(() -> {
          for (int i = 0; i < 10_000; i++) {
            Sample s = Sample.of(thread * 100_000 + i);
            byte[] b = codec().encode(s);
            assertThat(codec().decode(b, 0, b.length)).isEqualTo(s);
          }
          return null;
        }));
      }
      for (Future<?> f : all) {
        f.get(2, TimeUnit.MINUTES);
      }
    } finally {
      pool.shutdownNow();
    }
  }
}
