package io.lamina.facade;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lamina.CacheLoaderException;
import io.lamina.CacheWriter;
import io.lamina.CacheWriterException;
import io.lamina.TierUnavailableException;
import io.lamina.TieredCache;
import io.lamina.TieredCacheConfig;
import io.lamina.ValueCodecs;
import io.lamina.WriteStrategy;
import io.lamina.testkit.memory.InMemoryLocalTier;
import io.lamina.testkit.memory.InMemoryRemoteTier;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Cache-aside, write-through and write-around against the in-memory remote tier. */
class WriteStrategiesTest {

  private final InMemoryRemoteTier remote = new InMemoryRemoteTier();
  private final Map<String, String> source = new ConcurrentHashMap<>();
  private final List<String> remoteStatesSeenByWriter = new ArrayList<>();
  private final List<TieredCache<?, ?>> opened = new ArrayList<>();

  @AfterEach
  void close() {
    opened.forEach(TieredCache::close);
  }

  private final CacheWriter<String, String> writer = (key, value) -> {
    remoteStatesSeenByWriter.add(remote.stateOf("lamina:w:1:" + key));
    if (value.equals("fail")) {
      throw new IllegalStateException("source refused");
    }
    if (value.equals("io")) {
      throw new IOException("disk full");
    }
    source.put(key, value);
  };

  private TieredCache<String, String> cache(WriteStrategy strategy) {
    var b = TieredCache.<String, String>newBuilder("w")
        .config(TieredCacheConfig.custom().writeStrategy(strategy).writeTimeout(Duration.ofSeconds(5)).build())
        .local(InMemoryLocalTier.provider())
        .remote(remote)
        .valueCodec(ValueCodecs.utf8())
        .loader(source::get);
    if (strategy.usesWriter()) {
      b.writer(writer);
    }
    TieredCache<String, String> c = b.build();
    opened.add(c);
    return c;
  }

  @Test
  void cacheAside_putWithoutSourceVersion_invalidates_andTheNextReadLoads() {
    TieredCache<String, String> c = cache(WriteStrategy.CACHE_ASIDE);
    source.put("k", "v1");
    assertThat(c.get("k")).isEqualTo("v1");
    source.put("k", "v2");
    c.put("k", "v2");
    assertThat(remote.stateOf("lamina:w:1:k")).isEqualTo("T");
    assertThat(c.get("k")).isEqualTo("v2");
  }

  @Test
  void writeThrough_placesAnIntentBeforeTheWriter_andATombstoneAfter() {
    TieredCache<String, String> c = cache(WriteStrategy.WRITE_THROUGH);
    c.put("k", "v1");
    assertThat(remoteStatesSeenByWriter).containsExactly("I");
    assertThat(source).containsEntry("k", "v1");
    assertThat(remote.stateOf("lamina:w:1:k")).isEqualTo("T");
    assertThat(c.get("k")).isEqualTo("v1");
  }

  @Test
  void writeThrough_withL2Down_neverTouchesTheSource() {
    TieredCache<String, String> c = cache(WriteStrategy.WRITE_THROUGH);
    remote.failWith(() -> new IOException("connection refused"));
    assertThatThrownBy(() -> c.put("k", "v1")).isInstanceOf(TierUnavailableException.class)
        .hasMessageContaining("intent");
    assertThat(source).doesNotContainKey("k");
    assertThat(remoteStatesSeenByWriter).isEmpty();
  }

  @Test
  void writeThrough_failingWriter_stillReplacesTheIntent_andReportsTheError() {
    TieredCache<String, String> c = cache(WriteStrategy.WRITE_THROUGH);
    assertThatThrownBy(() -> c.put("k", "fail")).isInstanceOf(IllegalStateException.class)
        .hasMessage("source refused");
    assertThat(remote.stateOf("lamina:w:1:k")).isEqualTo("T");
  }

  @Test
  void aWritersCheckedException_isAWriterFailure_namedAsSuch_withTheKeyInvalidated() {
    for (WriteStrategy strategy : List.of(WriteStrategy.WRITE_THROUGH, WriteStrategy.WRITE_AROUND)) {
      TieredCache<String, String> c = cache(strategy);
      source.put("k", "v1");
      assertThat(c.get("k")).isEqualTo("v1");

      assertThatThrownBy(() -> c.put("k", "io")).as("%s", strategy)
          .isInstanceOf(CacheWriterException.class).isInstanceOf(CacheLoaderException.class)
          .hasMessage("cache 'w': the writer failed: java.io.IOException: disk full")
          .hasCauseInstanceOf(IOException.class);
      assertThat(c.getIfPresent("k")).as("%s", strategy).isNull();
      assertThat(remote.stateOf("lamina:w:1:k")).as("%s", strategy).isEqualTo("T");
    }
  }

  @Test
  void writeAround_writesTheSource_thenInvalidates() {
    TieredCache<String, String> c = cache(WriteStrategy.WRITE_AROUND);
    source.put("k", "old");
    assertThat(c.get("k")).isEqualTo("old");
    c.put("k", "new");
    assertThat(remoteStatesSeenByWriter).containsExactly("V"); // no intent: the cache still held the old value
    assertThat(remote.stateOf("lamina:w:1:k")).isEqualTo("T");
    assertThat(c.get("k")).isEqualTo("new");
  }

  @Test
  void invalidate_withL2Down_clearsL1_andThrows() {
    TieredCache<String, String> c = cache(WriteStrategy.CACHE_ASIDE);
    source.put("k", "v1");
    c.get("k");
    remote.failWith(() -> new IOException("down"));
    assertThatThrownBy(() -> c.invalidate("k")).isInstanceOf(TierUnavailableException.class)
        .hasMessageContaining("cache 'w'").hasMessageContaining("tombstone");
    assertThat(c.getIfPresent("k")).as("L1 no longer holds the key").isNull();
    assertThat(c.stats().l1().invalidations()).isEqualTo(1);
    remote.heal();
    assertThat(remote.stateOf("lamina:w:1:k")).as("L2 could not be told: the caller got the exception")
        .isEqualTo("V");
  }

  @Test
  void putAll_withoutVersions_tombstonesEveryKey() {
    TieredCache<String, String> c = cache(WriteStrategy.CACHE_ASIDE);
    c.putAll(Map.of("a", "1", "b", "2"));
    assertThat(remote.stateOf("lamina:w:1:a")).isEqualTo("T");
    assertThat(remote.stateOf("lamina:w:1:b")).isEqualTo("T");
    assertThat(c.stats().l2().invalidations()).isEqualTo(2);
  }
}
