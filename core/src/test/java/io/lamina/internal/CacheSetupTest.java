package io.lamina.internal;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lamina.BusConfig;
import io.lamina.CacheWriter;
import io.lamina.KeyCodecs;
import io.lamina.Ticker;
import io.lamina.TieredCacheConfig;
import io.lamina.TieredCacheListener;
import io.lamina.WriteStrategy;
import io.lamina.spi.LocalTier;
import io.lamina.spi.LocalTierProvider;
import io.lamina.spi.RemoteStore;
import io.lamina.spi.RemoteStoreSpec;
import io.lamina.spi.RemoteTier;
import java.util.concurrent.Executor;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

/** {@code CacheSetup} is public for the builder; made directly, it refuses what the builder refuses. */
class CacheSetupTest {

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

  private static CacheSetup<String, String> setup(WriteStrategy strategy, @Nullable RemoteTier remote,
      @Nullable CacheWriter<String, String> writer) {
    return new CacheSetup<>("c", TieredCacheConfig.custom().writeStrategy(strategy).build(), NO_LOCAL, remote,
        KeyCodecs.strings(), null, k -> k, null, null, writer, null, null, TieredCacheListener.NO_OP,
        Ticker.system(), Runnable::run, null, BusConfig.ofDefaults(), null);
  }

  @Test
  void madeDirectly_aRemoteTierWithoutValueCodec_isRefused() {
    assertThatThrownBy(() -> setup(WriteStrategy.CACHE_ASIDE, NO_REMOTE, null))
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("cache 'c'")
        .hasMessageContaining("needs a valueCodec");
  }

  @Test
  void madeDirectly_aWriterStrategyWithoutWriter_isRefused() {
    assertThatThrownBy(() -> setup(WriteStrategy.WRITE_AROUND, null, null))
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("WRITE_AROUND needs a writer");
  }

  @Test
  void madeDirectly_aWriterTheStrategyNeverCalls_isRefused() {
    assertThatThrownBy(() -> setup(WriteStrategy.CACHE_ASIDE, null, (k, v) -> { }))
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("never calls it");
  }
}
