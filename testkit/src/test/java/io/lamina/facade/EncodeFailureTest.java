package io.lamina.facade;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lamina.TieredCache;
import io.lamina.TieredCacheListener;
import io.lamina.ValueCodecs;
import io.lamina.spi.ValueCodec;
import io.lamina.testkit.memory.InMemoryLocalTier;
import io.lamina.testkit.memory.InMemoryRemoteTier;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A loaded value the codec refuses (as a codec that accepts only registered classes refuses an unregistered one)
 * is served to its caller on every read, stored in neither tier, and counted; a put of one fails before anything
 * changes, with one clear error.
 */
class EncodeFailureTest {

  /** UTF-8, except that it refuses values starting with "secret", as an unregistered class is refused. */
  private static final ValueCodec<String> PICKY = new ValueCodec<>() {
    @Override
    public int id() {
      return ValueCodecs.utf8().id();
    }

    @Override
    public byte[] encode(String value) {
      if (value.startsWith("secret")) {
        throw new SecurityException("class is not registered");
      }
      return ValueCodecs.utf8().encode(value);
    }

    @Override
    public String decode(byte[] data, int offset, int length) {
      return ValueCodecs.utf8().decode(data, offset, length);
    }
  };

  private final InMemoryRemoteTier remote = new InMemoryRemoteTier();
  private final Map<String, String> source = new ConcurrentHashMap<>();
  private final AtomicInteger loads = new AtomicInteger();
  private final List<String> reported = new CopyOnWriteArrayList<>();
  private final TieredCache<String, String> cache = TieredCache.<String, String>newBuilder("picky")
      .local(InMemoryLocalTier.provider()).remote(remote).valueCodec(PICKY)
      .listener(new TieredCacheListener() {
        @Override
        public void onEncodeFailure(String cacheName, String id, RuntimeException error) {
          reported.add(id + " " + error.getMessage());
        }
      })
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
  void aValueTheCodecRefuses_isServedOnEveryRead_andStoredInNeitherTier() {
    source.put("k", "secret-1");
    for (int i = 1; i <= 3; i++) {
      assertThat(cache.get("k")).isEqualTo("secret-1");
      assertThat(loads.get()).as("nothing cached: each read loads").isEqualTo(i);
      assertThat(cache.getIfPresent("k")).as("not in L1").isNull();
      assertThat(remote.stateOf("lamina:picky:1:k")).as("no value in L2").isNotEqualTo("V");
    }
    assertThat(cache.stats().encodeFailures()).isEqualTo(3);
    assertThat(reported).hasSize(3).allSatisfy(r -> assertThat(r).startsWith("k ")
        .contains("java.lang.String").contains("value-types"));
  }

  @Test
  void aBulkReadOfAValueTheCodecRefuses_servesIt_andCachesTheOthers() {
    source.put("a", "secret-a");
    source.put("b", "plain-b");
    assertThat(cache.getAll(List.of("a", "b"))).containsEntry("a", "secret-a").containsEntry("b", "plain-b");
    assertThat(cache.getIfPresent("a")).isNull();
    assertThat(cache.getIfPresent("b")).isEqualTo("plain-b");
    assertThat(remote.stateOf("lamina:picky:1:b")).isEqualTo("V");
    assertThat(remote.stateOf("lamina:picky:1:a")).isNotEqualTo("V");
    assertThat(cache.stats().encodeFailures()).isEqualTo(1);
  }

  @Test
  void aPutOfAValueTheCodecRefuses_failsClearly_beforeAnythingChanges() {
    source.put("k", "plain-1");
    assertThat(cache.get("k")).isEqualTo("plain-1");
    assertThatThrownBy(() -> cache.put("k", "secret-2"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("cache 'picky'").hasMessageContaining("java.lang.String")
        .hasMessageContaining("lamina.caches.picky.value-types");
    assertThat(cache.getIfPresent("k")).isEqualTo("plain-1");
    assertThat(remote.stateOf("lamina:picky:1:k")).isEqualTo("V");
  }
}
