package io.lamina.internal;

import io.lamina.AsyncCacheLoader;
import io.lamina.BulkLoader;
import io.lamina.BusConfig;
import io.lamina.CacheLoader;
import io.lamina.CacheWriter;
import io.lamina.Ticker;
import io.lamina.TieredCacheConfig;
import io.lamina.TieredCacheListener;
import io.lamina.WriteStrategy;
import io.lamina.spi.InvalidationBus;
import io.lamina.spi.KeyCodec;
import io.lamina.spi.KeyFilter;
import io.lamina.spi.LocalTierProvider;
import io.lamina.spi.RemoteTier;
import io.lamina.spi.ValueCodec;
import java.time.Duration;
import java.util.concurrent.Executor;
import java.util.function.Function;
import java.util.function.ToLongFunction;
import org.jspecify.annotations.Nullable;

/**
 * Everything a cache is made of, handed to the implementation in one piece. Public only because the builder, in
 * {@code io.lamina}, makes it; it checks on creation what {@link io.lamina.TieredCacheBuilder#build()} promises to
 * refuse, so no way of making a cache skips those checks.
 */
public record CacheSetup<K, V>(
    String name,
    TieredCacheConfig config,
    LocalTierProvider localProvider,
    @Nullable RemoteTier remote,
    KeyCodec<K> keyCodec,
    @Nullable ValueCodec<V> valueCodec,
    @Nullable CacheLoader<? super K, ? extends V> loader,
    @Nullable AsyncCacheLoader<? super K, ? extends V> asyncLoader,
    @Nullable BulkLoader<K, V> bulkLoader,
    @Nullable CacheWriter<K, V> writer,
    @Nullable ToLongFunction<? super V> versionOf,
    @Nullable Function<? super V, @Nullable Duration> ttlOf,
    TieredCacheListener listener,
    Ticker ticker,
    Executor executor,
    @Nullable InvalidationBus bus,
    BusConfig busConfig,
    @Nullable KeyFilter keyFilter) {

  /**
   * @throws IllegalStateException naming the cache and what is missing or conflicting
   */
  public CacheSetup {
    WriteStrategy strategy = config.writeStrategy();
    if (strategy == WriteStrategy.READ_THROUGH && loader == null && asyncLoader == null && bulkLoader == null) {
      throw refused(name, "writeStrategy READ_THROUGH needs a loader, an asyncLoader or a bulkLoader");
    }
    if (strategy.usesWriter() && writer == null) {
      throw refused(name, "writeStrategy " + strategy + " needs a writer");
    }
    if (!strategy.usesWriter() && writer != null) {
      throw refused(name, "a writer is set but writeStrategy " + strategy
          + " never calls it; choose WRITE_THROUGH, WRITE_AROUND or WRITE_BEHIND");
    }
    if (strategy == WriteStrategy.WRITE_THROUGH && remote == null) {
      throw refused(name, "writeStrategy WRITE_THROUGH places its intent in the remote tier; configure"
          + " remote(...) or choose WRITE_AROUND");
    }
    if (remote != null && valueCodec == null) {
      throw refused(name, "a remote tier needs a valueCodec (for example ForyValueCodec from lamina-codec, or"
          + " ValueCodecs.utf8() for strings)");
    }
    if (bus != null && config.degradedMaxAge().compareTo(busConfig.detectionTime()) > 0) {
      throw refused(name, "degradedMaxAge (" + config.degradedMaxAge() + ") must not exceed bus.detectionTime ("
          + busConfig.detectionTime() + ")");
    }
    if (valueCodec != null && (valueCodec.id() < 1 || valueCodec.id() > 255)) {
      throw refused(name, "valueCodec id must be in [1, 255], but " + valueCodec + " has " + valueCodec.id());
    }
  }

  private static IllegalStateException refused(String name, String why) {
    return new IllegalStateException("cache '" + name + "': " + why);
  }
}
