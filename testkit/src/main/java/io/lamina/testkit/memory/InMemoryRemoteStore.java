package io.lamina.testkit.memory;

import io.lamina.spi.FillResult;
import io.lamina.spi.RemoteEntry.Lease;
import io.lamina.spi.RemoteEntry.State;
import io.lamina.spi.RemoteEntry;
import io.lamina.spi.RemoteStore;
import io.lamina.spi.RemoteStoreSpec;
import io.lamina.spi.Version;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * One cache's view of an {@link InMemoryRemoteTier}; every operation is one atomic {@code compute} per key.
 *
 * <p>Past 300 lines because it implements the whole {@link RemoteStore} contract (leases, intents, fences,
 * tombstones, versioned puts, corrupt entries, hot keys) with the same semantics as the Redis scripts, each rule
 * written out where it is applied, so unit tests get that tier without a server.
 */
final class InMemoryRemoteStore implements RemoteStore {

  private final InMemoryRemoteTier tier;
  private final RemoteStoreSpec spec;

  InMemoryRemoteStore(InMemoryRemoteTier tier, RemoteStoreSpec spec) {
    this.tier = tier;
    this.spec = spec;
  }

  private String key(String id) {
    return spec.key(id);
  }

  private static long newIncarnation() {
    return ThreadLocalRandom.current().nextLong(1, Version.MAX_INCARNATION);
  }

  private <T> CompletionStage<T> call(Supplier<T> op) {
    tier.calls.incrementAndGet();
    if (tier.hanging) {
      return new CompletableFuture<>(); // a frozen server: the call never completes
    }
    Supplier<? extends Throwable> failure = tier.failure;
    if (failure != null) {
      return CompletableFuture.failedFuture(failure.get());
    }
    CompletableFuture<T> applied;
    try {
      applied = CompletableFuture.completedFuture(op.get());
    } catch (RuntimeException e) {
      applied = CompletableFuture.failedFuture(e); // a hook that throws fails the call, as a server error would
    }
    Executor io = tier.replies;
    return io == null ? applied : applied.whenCompleteAsync((value, error) -> {}, io);
  }

  /** The live slot of a key, dropping it if expired. */
  private @Nullable InMemorySlot live(@Nullable InMemorySlot s, long now) {
    return s == null || s.expired(now) ? null : s;
  }

  @Override
  public CompletionStage<RemoteEntry> read(String id, @Nullable String leaseToken, long leaseMillis) {
    return call(() -> readNow(key(id), leaseToken, leaseMillis));
  }

  private RemoteEntry readNow(String key, @Nullable String token, long leaseMillis) {
    RemoteEntry[] out = new RemoteEntry[1];
    long now = tier.nowMillis();
    tier.slots.compute(key, (k, old) -> {
      InMemorySlot s = live(old, now);
      if (s == null) {
        if (token == null) {
          out[0] = RemoteEntry.absent(Lease.NOT_REQUESTED);
          return null;
        }
        InMemorySlot created = InMemorySlot.fresh(State.TOMBSTONE, newIncarnation(), null,
            InMemorySlot.NO_SOURCE_VERSION, now + leaseMillis).withLease(token, now + leaseMillis, now + leaseMillis);
        out[0] = new RemoteEntry(State.ABSENT, created.version(), null, leaseMillis, Lease.GRANTED);
        return created;
      }
      if (s.foreign) {
        out[0] = new RemoteEntry(State.CORRUPT, Version.NONE, null, -1, Lease.NOT_REQUESTED);
        return s;
      }
      long ttl = s.expiresAtMillis - now;
      if (s.state == State.VALUE || s.state == State.NEGATIVE) {
        out[0] = new RemoteEntry(s.state, s.version(), s.payload, ttl, Lease.NOT_REQUESTED);
        return s;
      }
      if (token == null) {
        out[0] = new RemoteEntry(s.state, s.version(), null, ttl, Lease.NOT_REQUESTED);
        return s;
      }
      if (s.state == State.INTENT) {
        out[0] = new RemoteEntry(s.state, s.version(), null, ttl, Lease.REFUSED);
        return s;
      }
      if (s.leaseLive(now) && !token.equals(s.lease)) {
        out[0] = new RemoteEntry(s.state, s.version(), null, s.leaseExpiresAtMillis - now, Lease.HELD_BY_OTHER);
        return s;
      }
      long expires = Math.max(s.expiresAtMillis, now + leaseMillis);
      out[0] = new RemoteEntry(s.state, s.version(), null, expires - now, Lease.GRANTED);
      return s.withLease(token, now + leaseMillis, expires);
    });
    return out[0];
  }

  @Override
  public CompletionStage<RemoteEntry> leaseForRefresh(String id, String leaseToken, long leaseMillis,
      long aheadMillis) {
    return call(() -> {
      RemoteEntry[] out = {RemoteEntry.absent(Lease.NOT_REQUESTED)};
      long now = tier.nowMillis();
      tier.slots.computeIfPresent(key(id), (k, old) -> {
        InMemorySlot s = live(old, now);
        if (s == null || s.foreign || (s.state != State.VALUE && s.state != State.NEGATIVE)) {
          return s;
        }
        long ttl = s.expiresAtMillis - now;
        if (ttl > aheadMillis) {
          out[0] = new RemoteEntry(s.state, s.version(), null, ttl, Lease.NOT_REQUESTED);
          return s;
        }
        if (s.leaseLive(now)) {
          out[0] = new RemoteEntry(s.state, s.version(), null, s.leaseExpiresAtMillis - now, Lease.HELD_BY_OTHER);
          return s;
        }
        out[0] = new RemoteEntry(s.state, s.version(), null, ttl, Lease.GRANTED);
        return s.withLease(leaseToken, now + leaseMillis, s.expiresAtMillis); // the expiry is left alone
      });
      return out[0];
    });
  }

  @Override
  public CompletionStage<List<RemoteEntry>> readAll(List<String> ids, @Nullable List<String> leaseTokens,
      long leaseMillis) {
    return call(() -> {
      List<RemoteEntry> out = new ArrayList<>(ids.size());
      for (int i = 0; i < ids.size(); i++) {
        out.add(readNow(key(ids.get(i)), leaseTokens == null ? null : leaseTokens.get(i), leaseMillis));
      }
      return out;
    });
  }

  @Override
  public CompletionStage<FillResult> fill(String id, String leaseToken, byte @Nullable [] payload, long ttlMillis,
      long sourceVersion) {
    return call(() -> fillNow(key(id), leaseToken, payload, ttlMillis, sourceVersion));
  }

  private FillResult fillNow(String key, String token, byte @Nullable [] payload, long ttlMillis,
      long sourceVersion) {
    tier.beforeFill.accept(key);
    FillResult[] out = new FillResult[1];
    long now = tier.nowMillis();
    tier.slots.compute(key, (k, old) -> {
      InMemorySlot s = live(old, now);
      if (s == null || s.foreign) {
        out[0] = FillResult.rejected(Version.NONE);
        return s;
      }
      if (!token.equals(s.lease) || !s.leaseLive(now) || s.state == State.INTENT) {
        out[0] = FillResult.rejected(s.version());
        return s;
      }
      long highest = payload == null ? s.sourceVersion : Math.max(s.sourceVersion, sourceVersion);
      InMemorySlot next = s.next(payload == null ? State.NEGATIVE : State.VALUE, payload, highest,
          now + ttlMillis);
      out[0] = FillResult.stored(next.version());
      return next;
    });
    return out[0];
  }

  @Override
  public CompletionStage<List<FillResult>> fillAll(List<Fill> fills) {
    return call(() -> {
      List<FillResult> out = new ArrayList<>(fills.size());
      for (Fill f : fills) {
        out.add(fillNow(key(f.id()), f.leaseToken(), f.payload(), f.ttlMillis(), f.sourceVersion()));
      }
      return out;
    });
  }

  @Override
  public CompletionStage<Version> tombstone(String id) {
    return call(() -> tombstoneNow(id, NO_FENCE));
  }

  private Version tombstoneNow(String id, long fence) {
    long ttl = spec.tombstoneTtl().toMillis();
    for (int previous : spec.previousSchemaVersions()) {
      mark(spec.key(previous, id), State.TOMBSTONE, ttl, fence);
    }
    return mark(key(id), State.TOMBSTONE, ttl, fence);
  }

  private Version mark(String key, State state, long ttlMillis) {
    return mark(key, state, ttlMillis, NO_FENCE);
  }

  /**
   * Replaces the key with a tombstone or an intent of the next version; revokes any lease; remembers at least
   * {@code fence} as the highest source version.
   */
  private Version mark(String key, State state, long ttlMillis, long fence) {
    Version[] out = new Version[1];
    long now = tier.nowMillis();
    tier.slots.compute(key, (k, old) -> {
      InMemorySlot s = live(old, now);
      long seen = s == null || s.foreign ? InMemorySlot.NO_SOURCE_VERSION : s.sourceVersion;
      if (fence != NO_FENCE && (seen == InMemorySlot.NO_SOURCE_VERSION || seen < fence)) {
        seen = fence;
      }
      InMemorySlot next = s == null || s.foreign
          ? InMemorySlot.fresh(state, newIncarnation(), null, seen, now + ttlMillis)
          : s.next(state, null, seen, now + ttlMillis);
      out[0] = next.version();
      return next;
    });
    tier.afterWrite.accept(key);
    return out[0];
  }

  @Override
  public CompletionStage<List<Version>> tombstoneAll(List<String> ids) {
    long[] none = new long[ids.size()];
    Arrays.fill(none, NO_FENCE);
    return fenceAll(ids, none);
  }

  @Override
  public CompletionStage<List<Version>> fenceAll(List<String> ids, long[] fences) {
    if (fences.length != ids.size()) {
      throw new IllegalArgumentException("fences: " + fences.length + " for " + ids.size() + " ids");
    }
    long[] own = fences.clone();
    return call(() -> {
      List<Version> out = new ArrayList<>(ids.size());
      for (int i = 0; i < ids.size(); i++) {
        out.add(tombstoneNow(ids.get(i), own[i]));
      }
      return out;
    });
  }

  @Override
  public CompletionStage<Version> intent(String id, long ttlMillis) {
    return call(() -> {
      for (int previous : spec.previousSchemaVersions()) {
        mark(spec.key(previous, id), State.INTENT, ttlMillis);
      }
      return mark(key(id), State.INTENT, ttlMillis);
    });
  }

  @Override
  public CompletionStage<FillResult> putVersioned(String id, long sourceVersion, byte[] payload, long ttlMillis) {
    return call(() -> {
      for (int previous : spec.previousSchemaVersions()) {
        mark(spec.key(previous, id), State.TOMBSTONE, spec.tombstoneTtl().toMillis());
      }
      FillResult[] out = new FillResult[1];
      long now = tier.nowMillis();
      tier.slots.compute(key(id), (k, old) -> {
        InMemorySlot s = live(old, now);
        if (s == null || s.foreign) {
          InMemorySlot created = InMemorySlot.fresh(State.VALUE, newIncarnation(), payload, sourceVersion,
              now + ttlMillis);
          out[0] = FillResult.stored(created.version());
          return created;
        }
        if (s.sourceVersion != InMemorySlot.NO_SOURCE_VERSION && s.sourceVersion >= sourceVersion) {
          out[0] = FillResult.rejected(s.version());
          return s;
        }
        InMemorySlot next = s.next(State.VALUE, payload, sourceVersion, now + ttlMillis);
        out[0] = FillResult.stored(next.version());
        return next;
      });
      tier.afterWrite.accept(key(id));
      return out[0];
    });
  }

  @Override
  public CompletionStage<Boolean> removeCorrupt(String id, Version expected) {
    return call(() -> {
      boolean[] out = new boolean[1];
      long now = tier.nowMillis();
      long ttl = spec.tombstoneTtl().toMillis();
      tier.slots.compute(key(id), (k, old) -> {
        InMemorySlot s = live(old, now);
        if (s == null || !s.version().equals(expected)) {
          return s;
        }
        out[0] = true;
        return s.foreign
            ? InMemorySlot.fresh(State.TOMBSTONE, newIncarnation(), null, InMemorySlot.NO_SOURCE_VERSION, now + ttl)
            : s.next(State.TOMBSTONE, null, s.sourceVersion, now + ttl);
      });
      return out[0];
    });
  }

  @Override
  public CompletionStage<Void> clear() {
    return call(() -> {
      tier.beforeClear.run();
      List<String> prefixes = new ArrayList<>();
      prefixes.add(spec.keyPrefix());
      spec.previousSchemaVersions().forEach(v -> prefixes.add(spec.keyPrefix(v)));
      tier.slots.keySet().removeIf(k -> prefixes.stream().anyMatch(k::startsWith));
      return null;
    });
  }

  /** This cache's recorded hot keys, shared by every node on the tier (no expiry: tests are shorter). */
  private Map<String, Long> hot() {
    return tier.hotKeys.computeIfAbsent(spec.namespace() + ':' + spec.cacheName(), c -> new ConcurrentHashMap<>());
  }

  @Override
  public CompletionStage<Void> recordHotKeys(Map<String, Long> counts, long ttlMillis) {
    return call(() -> {
      counts.forEach((id, count) -> hot().merge(id, count, Math::max));
      return null;
    });
  }

  @Override
  public CompletionStage<List<String>> hotKeys(int limit) {
    return call(() -> hot().entrySet().stream()
        .sorted(Map.Entry.<String, Long>comparingByValue().reversed()).limit(limit)
        .map(Map.Entry::getKey).toList());
  }
}
