package io.lamina;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lamina.internal.CacheSetup;
import io.lamina.spi.LocalTier;
import io.lamina.spi.LocalTierProvider;
import io.lamina.spi.RemoteStore;
import io.lamina.spi.RemoteStoreSpec;
import io.lamina.spi.RemoteTier;
import java.util.concurrent.Executor;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

class TieredCacheBuilderTest {

  /** A local tier never created: each check below refuses the setup before any tier is made. */
  private static final LocalTierProvider NO_LOCAL = new LocalTierProvider() {
    @Override
    public <K> LocalTier<K> create(String cacheName, long maximumSize, Ticker ticker, Executor executor) {
      throw new AssertionError("not created in these tests");
    }
  };

  private static final RemoteTier NO_REMOTE = new RemoteTier() {
    @Override
    public RemoteStore open(RemoteStoreSpec spec) {
      throw new AssertionError("not opened in these tests");
    }

    @Override
    public String name() {
      return "test";
    }
  };

  private static TieredCacheConfig strategy(WriteStrategy s) {
    return TieredCacheConfig.custom().writeStrategy(s).build();
  }

  @Test
  void badCacheName_isRejectedNamingIt() {
    assertThatThrownBy(() -> TieredCache.newBuilder("a:b"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("cache name").hasMessageContaining("a:b");
  }

  @Test
  void settingTwice_isRejectedNamingTheSetting() {
    assertThatThrownBy(() -> TieredCache.<String, String>newBuilder("c").loader(k -> k).loader(k -> k))
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("loader was already set");
  }

  @Test
  void nullSetting_isRejectedNamingIt() {
    assertThatThrownBy(() -> TieredCache.<String, String>newBuilder("c").valueCodec(null))
        .isInstanceOf(NullPointerException.class).hasMessageContaining("valueCodec");
  }

  @Test
  void readThroughWithoutLoader_isRejected() {
    assertThatThrownBy(() -> TieredCache.<String, String>newBuilder("c").local(NO_LOCAL)
        .config(strategy(WriteStrategy.READ_THROUGH)).build())
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("READ_THROUGH needs a loader");
  }

  @Test
  void writerStrategiesWithoutWriter_areRejected() {
    for (WriteStrategy s : new WriteStrategy[] {WriteStrategy.WRITE_AROUND, WriteStrategy.WRITE_BEHIND,
        WriteStrategy.WRITE_THROUGH}) {
      assertThatThrownBy(() -> TieredCache.<String, String>newBuilder("c").local(NO_LOCAL).config(strategy(s)).build())
          .isInstanceOf(IllegalStateException.class).hasMessageContaining(s + " needs a writer");
    }
  }

  @Test
  void writerWithCacheAside_isRejected() {
    assertThatThrownBy(() -> TieredCache.<String, String>newBuilder("c").local(NO_LOCAL).writer((k, v) -> {}).build())
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("never calls it");
  }

  @Test
  void writeThroughWithoutRemote_isRejected() {
    assertThatThrownBy(() -> TieredCache.<String, String>newBuilder("c").local(NO_LOCAL)
        .config(strategy(WriteStrategy.WRITE_THROUGH)).writer((k, v) -> {}).build())
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("WRITE_THROUGH places its intent");
  }

  @Test
  void remoteWithoutValueCodec_isRejected() {
    assertThatThrownBy(() -> TieredCache.<String, String>newBuilder("c").local(NO_LOCAL).remote(NO_REMOTE).build())
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("needs a valueCodec");
  }

  @Test
  void noLocalTierOnTheClasspath_isRejectedWithTheFix() {
    assertThatThrownBy(() -> TieredCache.<String, String>newBuilder("c").build())
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("add lamina-l1-local");
  }

  /** {@code CacheSetup} is public for the builder; made directly, it refuses what {@code build()} refuses. */
  private static CacheSetup<String, String> setup(WriteStrategy strategy, @Nullable RemoteTier remote,
      @Nullable CacheWriter<String, String> writer) {
    return new CacheSetup<>("c", strategy(strategy), NO_LOCAL, remote, KeyCodecs.strings(), null, k -> k, null,
        null, writer, null, null, TieredCacheListener.NO_OP, Ticker.system(), Runnable::run, null,
        BusConfig.ofDefaults(), null);
  }

  @Test
  void setupMadeDirectly_aRemoteTierWithoutValueCodec_isRefused() {
    assertThatThrownBy(() -> setup(WriteStrategy.CACHE_ASIDE, NO_REMOTE, null))
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("cache 'c'")
        .hasMessageContaining("needs a valueCodec");
  }

  @Test
  void setupMadeDirectly_aWriterStrategyWithoutWriter_isRefused() {
    assertThatThrownBy(() -> setup(WriteStrategy.WRITE_AROUND, null, null))
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("WRITE_AROUND needs a writer");
  }

  @Test
  void setupMadeDirectly_aWriterTheStrategyNeverCalls_isRefused() {
    assertThatThrownBy(() -> setup(WriteStrategy.CACHE_ASIDE, null, (k, v) -> { }))
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("never calls it");
  }
}
