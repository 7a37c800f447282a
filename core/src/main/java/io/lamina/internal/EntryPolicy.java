package io.lamina.internal;

import io.lamina.TieredCacheConfig;
import io.lamina.spi.Version;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.ToLongFunction;
import org.jspecify.annotations.Nullable;

/**
 * How long an entry lives in each tier, and what a value says of itself: its source version ({@code versionOf})
 * and its own time to live ({@code ttlOf}). An L1 entry is fresh for the L1 time to live (jittered, doubled for
 * a hot key), never longer than L2 keeps its copy; with stale serving on it may then be served stale for the
 * longer of the two stale windows; never past the hard max age Δ. A value's own time to live is a hard end.
 */
final class EntryPolicy<V> {

  private static final Duration MIN_TTL = Duration.ofMillis(1);
  /** Longer lives are cut to this, so the nanosecond arithmetic of L1 expiry cannot overflow. */
  private static final Duration MAX_TTL = Duration.ofDays(3650);

  private final String name;
  private final TieredCacheConfig config;
  final @Nullable ToLongFunction<? super V> versionOf;
  private final @Nullable Function<? super V, @Nullable Duration> ttlOf;
  private final long l1TtlNanos;
  private final long l1MaxAgeNanos;
  private final long negativeTtlNanos;
  final long swrNanos;
  final long sieNanos;
  /** The longer of the two stale windows: how long past its freshness an L1 entry is kept. */
  final long staleWindowNanos;
  final double earlyRefreshBeta;
  /** The unit of the times L1 entries keep as ints ({@link ValueEntry#timeUnitNanos}). */
  final long entryTimeUnit;

  EntryPolicy(String name, TieredCacheConfig config, @Nullable ToLongFunction<? super V> versionOf,
      @Nullable Function<? super V, @Nullable Duration> ttlOf) {
    this.name = name;
    this.config = config;
    this.versionOf = versionOf;
    this.ttlOf = ttlOf;
    l1TtlNanos = config.l1ExpireAfterWrite().toNanos();
    l1MaxAgeNanos = config.l1MaxAge().toNanos();
    entryTimeUnit = ValueEntry.timeUnitNanos(l1MaxAgeNanos);
    negativeTtlNanos = config.negativeTtl().toNanos();
    swrNanos = config.protection().staleWhileRevalidate().toNanos();
    sieNanos = config.protection().staleIfError().toNanos();
    staleWindowNanos = Math.max(swrNanos, sieNanos);
    earlyRefreshBeta = swrNanos > 0 ? config.protection().earlyRefreshBeta() : 0;
  }

  long sourceVersion(V value) {
    return versionOf == null ? ValueEntry.NO_SOURCE_VERSION : versionOf.applyAsLong(value);
  }

  /** {@link #sourceVersion} of a value that may be a negative result (null). */
  long sourceVersionOf(@Nullable Object value) {
    @SuppressWarnings("unchecked")
    V v = (V) value;
    return v == null ? ValueEntry.NO_SOURCE_VERSION : sourceVersion(v);
  }

  /**
   * The remote time to live of a new entry holding {@code value}: the negative TTL for null, the value's own
   * ({@code ttlOf}) if it has one, else the cache's, jittered.
   */
  long l2TtlMillis(@Nullable Object value) {
    if (value == null) {
      return Math.max(1, config.negativeTtl().toMillis());
    }
    long own = ownTtlMillis(value);
    return own > 0 ? own : Math.max(1, jitter(config.l2Ttl().toMillis(), config.l2TtlJitter()));
  }

  /** A value's own time to live in millis ({@code ttlOf}), or -1 when it has none (or is a negative result). */
  long ownTtlMillis(@Nullable Object value) {
    if (value == null || ttlOf == null) {
      return -1;
    }
    @SuppressWarnings("unchecked")
    Duration ttl = ttlOf.apply((V) value);
    return ttl == null ? -1 : checkedTtlMillis(ttl, "ttlOf returned");
  }

  /** {@code ttl} in millis, refused when under 1 ms (Redis keeps nothing for less). */
  long checkedTtlMillis(Duration ttl, String what) {
    if (ttl.isNegative() || ttl.compareTo(MIN_TTL) < 0) {
      throw new IllegalArgumentException("cache '" + name + "': " + what + " " + ttl
          + "; a value's time to live must be at least 1 ms");
    }
    return ttl.compareTo(MAX_TTL) > 0 ? MAX_TTL.toMillis() : ttl.toMillis();
  }

  static long jitter(long ttl, double jitter) {
    return jitter == 0 ? ttl : ttl - (long) (ttl * jitter * ThreadLocalRandom.current().nextDouble());
  }

  /**
   * The L1 entry of a value obtained since {@code sinceNanos} (a load or an L2 read), stored at {@code now}:
   * fresh for the L1 time to live (twice that for a hot key), never longer than L2 keeps its copy
   * ({@code remoteTtlMillis}, or 0 when unknown) nor past Δ counted from {@code sinceNanos}.
   */
  ValueEntry loaded(@Nullable Object value, Version version, Generation generation, long sourceVersion,
      long sinceNanos, long now, long remoteTtlMillis, boolean hot) {
    long ttl = value == null ? negativeTtlNanos : jitter(l1TtlNanos, config.l1TtlJitter());
    if (hot && value != null) {
      ttl *= 2; // a hot key lives longer in L1 (never past Δ or L2's copy, below)
    }
    long hardCap = sinceNanos + l1MaxAgeNanos;
    long freshUntil = Math.min(now + ttl, hardCap);
    if (remoteTtlMillis > 0) {
      freshUntil = Math.min(freshUntil, now + TimeUnit.MILLISECONDS.toNanos(remoteTtlMillis));
    }
    long deadline = value == null ? freshUntil : Math.min(freshUntil + staleWindowNanos, hardCap);
    long own = ownTtlMillis(value);
    if (own > 0) { // a value's own life is a hard end: not extended by a stale window, nor past L2's copy
      long end = now + TimeUnit.MILLISECONDS.toNanos(remoteTtlMillis > 0 ? Math.min(own, remoteTtlMillis) : own);
      freshUntil = Math.min(freshUntil, end);
      deadline = Math.min(deadline, end);
    }
    return ValueEntry.of(value, version, generation, sourceVersion, now, freshUntil, deadline,
        Math.max(0, now - sinceNanos), entryTimeUnit);
  }

  /** The L1 entry of a value this node wrote at {@code now}; {@code ownTtlMillis} (or -1) is its own life. */
  ValueEntry written(V value, Version version, Generation generation, long sourceVersion, long now,
      long ownTtlMillis) {
    long freshUntil = Math.min(now + jitter(l1TtlNanos, config.l1TtlJitter()), now + l1MaxAgeNanos);
    long deadline = Math.min(freshUntil + staleWindowNanos, now + l1MaxAgeNanos);
    if (ownTtlMillis > 0) {
      long end = now + TimeUnit.MILLISECONDS.toNanos(ownTtlMillis);
      freshUntil = Math.min(freshUntil, end);
      deadline = Math.min(deadline, end);
    }
    return ValueEntry.of(value, version, generation, sourceVersion, now, freshUntil, deadline, 0, entryTimeUnit);
  }

  /** Until when {@code entry} is fresh (never later than it was stored with; see {@link ValueEntry}). */
  long freshUntilNanos(ValueEntry entry) {
    return entry.freshUntilNanos(entryTimeUnit);
  }

  /** Whether {@code entry} is past its freshness (only ever consulted with stale serving on). */
  boolean isStale(ValueEntry entry, long now) {
    return now - freshUntilNanos(entry) >= 0;
  }
}
