package io.lamina.warming;

import io.lamina.TieredCache;
import io.lamina.spi.KeyCodec;
import io.lamina.spi.RemoteStore;
import io.lamina.spi.RemoteStoreSpec;
import io.lamina.spi.RemoteTier;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * Where the keys of a warm-up come from: the application's own query (the ids of the 10,000 best-selling
 * products), an explicit list, or the hot keys that running instances recorded in L2.
 *
 * <p>A source is asked once per warm-up, on a warming thread, before any key is read; it counts against the
 * warm-up's deadline. A source that throws is reported in the warm-up's progress and the other sources still run.
 *
 * @param <K> the cache's key type
 */
@FunctionalInterface
public interface WarmupSource<K> {

  /**
   * The keys to warm, most important first (a warm-up cut short by its deadline has warmed the first ones).
   *
   * @throws Exception when the keys cannot be listed; the warm-up reports it and continues with other sources
   */
  Iterable<? extends K> keys() throws Exception;

  /** A short name for logs and progress; the class name unless overridden. */
  default String name() {
    return getClass().getSimpleName().isEmpty() ? "query" : getClass().getSimpleName();
  }

  /** The given keys, in their order. */
  static <K> WarmupSource<K> of(Collection<? extends K> keys) {
    List<K> copy = List.copyOf(Objects.requireNonNull(keys, "keys"));
    return new WarmupSource<>() {
      @Override
      public Iterable<? extends K> keys() {
        return copy;
      }

      @Override
      public String name() {
        return "explicit";
      }
    };
  }

  /**
   * The hot keys that instances of {@code cache} recorded in L2 (each id with the highest read count any
   * instance reported; see {@code ProtectionConfig.hotKeys}), hottest first, at most {@code limit}, read through
   * the remote tier's {@link RemoteStore#hotKeys} and turned back into keys with {@code keyCodec}. Empty when the
   * tier keeps no record or nothing was recorded (hot-key tracking off, or no instance ran within two windows).
   *
   * @param tier the remote tier {@code cache} was built with
   * @param keyCodec the cache's key codec; it must implement {@link KeyCodec#fromId}
   */
  static <K> WarmupSource<K> recordedHotKeys(TieredCache<K, ?> cache, RemoteTier tier, KeyCodec<K> keyCodec,
      int limit) {
    Objects.requireNonNull(cache, "cache");
    Objects.requireNonNull(tier, "tier");
    Objects.requireNonNull(keyCodec, "keyCodec");
    if (limit < 1) {
      throw new IllegalArgumentException("the recorded hot-key limit must be at least 1, but was " + limit);
    }
    var config = cache.config();
    RemoteStore store = tier.open(new RemoteStoreSpec(config.namespace(), cache.name(), config.schemaVersion(),
        config.previousSchemaVersions(), config.tombstoneTtl()));
    long timeoutMillis = Math.max(1, config.remoteTimeout().toMillis());
    return new WarmupSource<>() {
      @Override
      public Iterable<? extends K> keys() throws Exception {
        List<String> ids = store.hotKeys(limit).toCompletableFuture().get(timeoutMillis, TimeUnit.MILLISECONDS);
        List<K> keys = new ArrayList<>(ids.size());
        for (String id : ids) {
          keys.add(keyCodec.fromId(id));
        }
        return keys;
      }

      @Override
      public String name() {
        return "recorded hot keys";
      }
    };
  }
}
