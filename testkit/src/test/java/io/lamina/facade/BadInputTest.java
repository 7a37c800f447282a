package io.lamina.facade;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lamina.TieredCache;
import io.lamina.TieredCacheConfig;
import io.lamina.ValueCodecs;
import io.lamina.spi.ValueCodec;
import io.lamina.testkit.memory.InMemoryLocalTier;
import io.lamina.testkit.memory.InMemoryRemoteTier;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Bad input to the facade gets a clear answer and leaves nothing behind. */
class BadInputTest {

  private final InMemoryRemoteTier remote = new InMemoryRemoteTier();
  private final Map<String, String> source = new ConcurrentHashMap<>();
  private final AtomicInteger loads = new AtomicInteger();
  private final TieredCache<String, String> cache = TieredCache.<String, String>newBuilder("bad")
      .config(TieredCacheConfig.custom().maxKeyBytes(16).loadTimeout(Duration.ofSeconds(20)).build())
      .local(InMemoryLocalTier.provider()).remote(remote).valueCodec(ValueCodecs.utf8())
      .loader(k -> {
        loads.incrementAndGet();
        return source.get(k);
      })
      .build();

  @AfterEach
  void close() {
    cache.close();
  }

  @Test
  void getAllWithANull_namesItsPosition_andReservesNothing() throws Exception {
    source.put("k1", "v1");
    source.put("k2", "v2");
    long calls = remote.calls();
    assertThatThrownBy(() -> cache.getAll(Arrays.asList("k1", "k2", null)))
        .isInstanceOf(NullPointerException.class).hasMessageContaining("keys[2]");
    assertThat(remote.calls()).isEqualTo(calls);
    assertNothingLeftBehind();
  }

  @Test
  void getAllWithAnOversizedKey_namesItsPosition_andReservesNothing() throws Exception {
    source.put("k1", "v1");
    source.put("k2", "v2");
    assertThatThrownBy(() -> cache.getAll(List.of("k1", "k2", "k1", "x".repeat(17))))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("keys[3]")
        .hasMessageContaining("maxKeyBytes");
    assertNothingLeftBehind();
  }

  /** The same thread and another thread both read k1 and k2 at once, each loading once: no reservation is left. */
  private void assertNothingLeftBehind() throws Exception {
    assertThat(cache.get("k1")).isEqualTo("v1"); // the same thread: no false "recursive load"
    assertThat(CompletableFuture.supplyAsync(() -> cache.get("k2")).get(2, TimeUnit.SECONDS)).isEqualTo("v2");
    assertThat(loads.get()).isEqualTo(2);
  }

  @Test
  void aLargeGetAll_isReadInBatches() {
    List<String> keys = new ArrayList<>();
    for (int i = 0; i < 2_500; i++) {
      keys.add("n" + i);
    }
    long calls = remote.calls();
    assertThat(cache.getAllPresent(keys)).isEmpty();
    assertThat(remote.calls() - calls).isEqualTo(3); // 1,000 + 1,000 + 500: one pipelined read each
    for (int i = 0; i < 2_500; i += 2) {
      source.put("n" + i, "v" + i);
    }
    Map<String, String> all = cache.getAll(keys);
    assertThat(all).hasSize(1_250).containsEntry("n0", "v0").containsEntry("n2498", "v2498");
    assertThat(List.copyOf(all.keySet()).get(1)).isEqualTo("n2"); // in the order asked
    assertThat(loads.get()).isEqualTo(2_500);
  }

  /** A utf8 codec that fails like a codec trusting a hostile payload would, when told to. */
  private static final class Hostile implements ValueCodec<String> {
    volatile @org.jspecify.annotations.Nullable Error error;
    final AtomicInteger decoded = new AtomicInteger();

    @Override
    public int id() {
      return ValueCodecs.utf8().id();
    }

    @Override
    public byte[] encode(String value) {
      return ValueCodecs.utf8().encode(value);
    }

    @Override
    public String decode(byte[] data, int offset, int length) {
      decoded.incrementAndGet();
      Error e = error;
      if (e != null) {
        throw e;
      }
      return ValueCodecs.utf8().decode(data, offset, length);
    }
  }

  private TieredCache<String, String> hostileNode(Hostile codec) {
    return TieredCache.<String, String>newBuilder("hostile")
        .config(TieredCacheConfig.custom().maxValueBytes(64).build())
        .local(InMemoryLocalTier.provider()).remote(remote).valueCodec(codec)
        .loader(k -> {
          loads.incrementAndGet();
          return "v:" + k;
        })
        .build();
  }

  @Test
  void aCodecError_onAHostilePayload_isACorruptEntry_replacedAndRefilled() {
    for (Error error : List.of(new StackOverflowError(), new OutOfMemoryError("Requested array size exceeds VM limit"))) {
      Hostile codec = new Hostile();
      try (TieredCache<String, String> writer = hostileNode(codec);
          TieredCache<String, String> reader = hostileNode(codec)) {
        writer.get("k");
        codec.error = error;
        assertThat(reader.get("k")).isEqualTo("v:k");
        assertThat(reader.stats().decodeFailures()).isEqualTo(1);
        codec.error = null;
        assertThat(remote.stateOf("lamina:hostile:1:k")).as("replaced, then refilled").isEqualTo("V");
      }
    }
  }

  @Test
  void aPayloadOverMaxValueBytes_isNeverHandedToTheCodec() {
    Hostile codec = new Hostile();
    try (TieredCache<String, String> writer = hostileNode(codec);
        TieredCache<String, String> reader = hostileNode(codec)) {
      writer.get("k");
      byte[] huge = new byte[65];
      System.arraycopy(new byte[] {(byte) 0xA7, 1, (byte) ValueCodecs.utf8().id(), 0}, 0, huge, 0, 4);
      remote.corruptPayload("lamina:hostile:1:k", huge);
      int before = codec.decoded.get();
      assertThat(reader.get("k")).isEqualTo("v:k");
      assertThat(codec.decoded.get()).isEqualTo(before);
      assertThat(reader.stats().decodeFailures()).isEqualTo(1);
      assertThat(remote.stateOf("lamina:hostile:1:k")).isEqualTo("V");
    }
  }
}
