package io.lamina.internal;

import io.lamina.AsyncCacheLoader;
import io.lamina.BulkLoader;
import io.lamina.BusConfig;
import io.lamina.CacheLoader;
import io.lamina.CacheWriter;
import io.lamina.Ticker;
import io.lamina.TieredCacheConfig;
import io.lamina.TieredCacheListener;
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

/** Everything the builder checked, handed to the implementation in one piece. */
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
    @Nullable KeyFilter keyFilter) {}
