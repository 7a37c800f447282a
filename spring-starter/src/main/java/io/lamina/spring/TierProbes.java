package io.lamina.spring;

import io.lamina.Ticker;
import io.lamina.spi.LocalEntry;
import io.lamina.spi.LocalTier;
import io.lamina.spi.LocalTierProvider;
import io.lamina.spi.RemoteEntry;
import io.lamina.spi.RemoteStore;
import io.lamina.spi.RemoteStoreSpec;
import io.lamina.spi.RemoteTier;
import io.lamina.spi.Roster;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * Keeps a handle on the tiers each cache was built with, so that {@link #inspect} can tell what one instance
 * holds for a key without going through the cache (which would count a read, fill L1 or take a lease).
 *
 * <p>The facade offers no inspection of its own; wrapping the tier SPI is the least it takes from outside.
 */
public final class TierProbes {

  private final Map<String, Probe> locals = new ConcurrentHashMap<>();
  private final Map<String, RemoteStore> remotes = new ConcurrentHashMap<>();

  private record Probe(LocalTier<?> tier, Ticker ticker) {}

  /** {@code provider}, remembering the tier it creates for each cache. */
  public LocalTierProvider wrap(LocalTierProvider provider) {
    Objects.requireNonNull(provider, "provider");
    return new LocalTierProvider() {
      @Override
      public <K> LocalTier<K> create(String cacheName, long maximumSize, Ticker ticker, Executor executor) {
        LocalTier<K> tier = provider.create(cacheName, maximumSize, ticker, executor);
        locals.put(cacheName, new Probe(tier, ticker));
        return tier;
      }
    };
  }

  /** {@code tier}, remembering the store it opens for each cache. */
  public RemoteTier wrap(RemoteTier tier) {
    Objects.requireNonNull(tier, "tier");
    return new RemoteTier() {
      @Override
      public RemoteStore open(RemoteStoreSpec spec) {
        RemoteStore store = tier.open(spec);
        remotes.put(spec.cacheName(), store);
        return store;
      }

      @Override
      public String name() {
        return tier.name();
      }

      @Override
      public Roster roster(String namespace) {
        return tier.roster(namespace);
      }
    };
  }

  /** Forgets the tiers of {@code cacheName} (the cache was closed). */
  public void forget(String cacheName) {
    locals.remove(cacheName);
    remotes.remove(cacheName);
  }

  /**
   * What this instance's tiers hold for {@code id} of {@code cacheName}, or null if the cache was not built with
   * wrapped tiers. The remote read waits at most {@code timeout}.
   */
  @SuppressWarnings("unchecked")
  public @Nullable KeyState inspect(String cacheName, String id, Duration timeout) {
    Probe probe = locals.get(cacheName);
    if (probe == null) {
      return null;
    }
    LocalEntry entry = ((LocalTier<String>) probe.tier()).getIfPresent(id);
    long now = probe.ticker().read();
    KeyState.Local l1 = entry == null
        ? new KeyState.Local(false, null, null, null)
        : new KeyState.Local(true, entry.toString(), TimeUnit.NANOSECONDS.toMillis(entry.deadlineNanos() - now),
            entry.storedAtNanos() == Long.MIN_VALUE ? null
                : TimeUnit.NANOSECONDS.toMillis(now - entry.storedAtNanos()));
    RemoteStore store = remotes.get(cacheName);
    return new KeyState(cacheName, id, l1, store == null ? null : remote(store, id, timeout));
  }

  private static KeyState.Remote remote(RemoteStore store, String id, Duration timeout) {
    try {
      RemoteEntry e = store.read(id, null, 0).toCompletableFuture().get(timeout.toNanos(), TimeUnit.NANOSECONDS);
      return new KeyState.Remote(e.state().name(), e.version().toString(), e.remainingTtlMillis(), null);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new KeyState.Remote("UNREACHABLE", "0.0", -1, "interrupted");
    } catch (Exception e) {
      return new KeyState.Remote("UNREACHABLE", "0.0", -1, String.valueOf(e));
    }
  }
}
