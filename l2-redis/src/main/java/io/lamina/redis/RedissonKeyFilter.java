package io.lamina.redis;

import io.lamina.Ticker;
import io.lamina.TierUnavailableException;
import io.lamina.spi.KeyFilter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.redisson.api.RBloomFilter;
import org.redisson.api.RedissonClient;

/**
 * A {@link KeyFilter} every node shares through Redis: one Redisson {@link RBloomFilter} per generation, and a
 * small pointer hash naming the generation in service.
 *
 * <p><b>Keys.</b> All under the hash tag {@code {<namespace>:<cache>}}, so a Cluster keeps them on one slot and a
 * switch is one script. {@code {<namespace>:<cache>}:~keyfilter} is the pointer: field {@code current} names the
 * generation in service, fields {@code p:<generation>} and {@code b:<generation>} a generation being prepared or
 * built, with its deadline on the server's clock. {@code {<namespace>:<cache>}:~keyfilter:<random>} is a
 * generation's bit set, with its Redisson settings beside it under {@code …:config}. The cache's entries live
 * under {@code <namespace>:<cache>:<schemaVersion>:}, so clearing the cache leaves the filter alone.
 *
 * <p><b>Reads</b> take one round trip: the generation in service is cached, and the id is asked together with a
 * sentinel id every generation holds. A generation switched away (its keys are deleted in the switch) or lost
 * holds neither, so a stale cache is seen, never read as "absent": the filter re-reads the pointer and asks again.
 *
 * <p><b>Adds</b> write to the generation in service and to every generation being built, then re-read the
 * pointer; if a switch or a new build slipped in between, they write there too. Two round trips.
 *
 * <p><b>Rebuilds</b> register a fresh generation, fill it (adds from every node reach it from then on), then
 * switch the pointer and delete the old generation in one script that checks the pointer still names the
 * generation it replaces. Concurrent rebuilds each complete their own generation; the last switch wins. A build
 * that outlives its build timeout cannot switch, and its keys are deleted by a later rebuild. {@code
 * KeyFilterRebuild} runs that protocol; {@code KeyFilterStore} holds what this node knows of the filter in Redis
 * and bounds every call to it.
 *
 * <p><b>Failures.</b> Every call waits at most the call timeout per round trip (a rebuild, per step) and then
 * throws {@link TierUnavailableException}: the caller fails open. Call and build deadlines are measured on the
 * builder's {@link Ticker}. Before the first rebuild, or after Redis lost the filter (a restart without
 * persistence, eviction), there is no filter: {@link #mightContain} throws, and {@link #add} records ids only in
 * generations being built, until a rebuild creates one. Keep the filter's keys out of eviction ({@code
 * noeviction} or a {@code volatile-*} policy; the keys have no TTL). Replication is Redis's: a failover to a
 * replica that had not yet received the last adds loses them until the next rebuild.
 *
 * <p>Past 300 lines by this description of the protocol (the one place it is written down whole) and the
 * builder's checked settings; the code itself is the read and add paths.
 */
public final class RedissonKeyFilter implements KeyFilter {

  /** The call timeout unless set. */
  public static final Duration DEFAULT_CALL_TIMEOUT = Duration.ofSeconds(1);
  /** The build timeout unless set. */
  public static final Duration DEFAULT_BUILD_TIMEOUT = Duration.ofMinutes(30);
  /** The false-positive probability unless set. */
  public static final double DEFAULT_FALSE_PROBABILITY = 0.01;

  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._-]{1,128}");
  // Redisson's limit on a Bloom filter's bits (a Redis string holds 2^32 bits).
  private static final long MAX_BITS = Integer.MAX_VALUE * 2L;

  private final KeyFilterStore store;
  private final KeyFilterRebuild rebuild;

  private RedissonKeyFilter(Builder b) {
    this.store = new KeyFilterStore(b.client, "redis-bloom:" + b.namespace + ':' + b.cacheName,
        '{' + b.namespace + ':' + b.cacheName + "}:~keyfilter",
        b.callTimeout != null ? b.callTimeout : DEFAULT_CALL_TIMEOUT,
        b.ticker != null ? b.ticker : Ticker.system());
    this.rebuild = new KeyFilterRebuild(store, b.expectedInsertions, b.falseProbability,
        b.buildTimeout != null ? b.buildTimeout : DEFAULT_BUILD_TIMEOUT);
  }

  /**
   * Starts a builder for the filter of one cache: {@code namespace} and {@code cacheName} as the cache's own
   * ({@code [A-Za-z0-9._-]}, at most 128 characters). The client stays the application's to close.
   */
  public static Builder newBuilder(RedissonClient client, String namespace, String cacheName) {
    return new Builder(client, namespace, cacheName);
  }

  @Override
  public boolean mightContain(String id) {
    KeyFilter.checkId(id);
    long deadline = store.callDeadline();
    KeyFilterView v = store.view();
    if (v == null) {
      v = store.refresh(deadline, "mightContain");
    }
    @Nullable String retried = null;
    while (true) {
      String generation = v.current();
      @Nullable Throwable failure = null;
      if (generation != null) {
        try {
          CompletableFuture<Long> lookup = store.generation(generation)
              .thenCompose(f -> f.containsAsync(List.of(KeyFilterStore.SENTINEL, id)));
          long count = store.await(lookup, deadline, "mightContain");
          if (count > 0) {
            return count > 1;
          }
        } catch (ExecutionException e) {
          failure = e.getCause();
        }
        store.forget(generation); // the next try starts from Redis's settings again
      }
      // No answer: the generation was switched away, was lost, or the call failed. Ask the pointer; give the
      // generation in service one more try before failing open.
      KeyFilterView fresh = store.refresh(deadline, "mightContain");
      if (Objects.equals(fresh.current(), generation) && (generation == null || generation.equals(retried))) {
        throw store.unavailable("mightContain: " + (generation == null
            ? "no filter has been built yet (run a rebuild)"
            : failure != null ? "lookup in generation " + generation + " failed"
            : "generation " + generation + " is missing or damaged in Redis (run a rebuild)"), failure);
      }
      retried = generation;
      v = fresh;
    }
  }

  @Override
  public void add(String id) {
    addAll(List.of(KeyFilter.checkId(id)));
  }

  @Override
  public void addAll(Collection<String> ids) {
    List<String> valid = KeyFilter.checkIds(ids);
    if (valid.isEmpty()) {
      return;
    }
    long deadline = store.callDeadline();
    KeyFilterView v = store.view();
    if (v == null) {
      v = store.refresh(deadline, "add");
    }
    Set<String> written = new HashSet<>();
    Set<String> retried = new HashSet<>();
    while (true) {
      Map<String, CompletableFuture<?>> calls = new HashMap<>();
      for (String generation : v.targets()) {
        if (!written.contains(generation)) {
          calls.put(generation, store.generation(generation).thenCompose(f -> addInChunks(f, valid)));
        }
      }
      Map<String, Throwable> failed = new HashMap<>();
      for (Map.Entry<String, CompletableFuture<?>> call : calls.entrySet()) {
        try {
          store.await(call.getValue(), deadline, "add");
          written.add(call.getKey());
        } catch (ExecutionException e) {
          failed.put(call.getKey(), e.getCause());
          store.forget(call.getKey());
        }
      }
      // Whatever became a target meanwhile must be written too. A failed write matters only if its target is
      // still live: it gets one more try, then the add fails.
      KeyFilterView fresh = store.refresh(deadline, "add");
      List<String> missing = new ArrayList<>(fresh.targets());
      missing.removeAll(written);
      if (missing.isEmpty()) {
        return;
      }
      for (String generation : missing) {
        Throwable error = failed.get(generation);
        if (error != null && !retried.add(generation)) {
          throw store.unavailable("add to generation " + generation + " failed", error);
        }
      }
      v = fresh;
    }
  }

  @Override
  public void rebuild(Iterable<String> ids) {
    rebuild.run(ids);
  }

  @Override
  public String name() {
    return store.name();
  }

  private static CompletableFuture<Void> addInChunks(RBloomFilter<String> filter, List<String> ids) {
    List<CompletableFuture<?>> parts = new ArrayList<>();
    for (int i = 0; i < ids.size(); i += KeyFilterStore.CHUNK) {
      List<String> chunk = ids.subList(i, Math.min(ids.size(), i + KeyFilterStore.CHUNK));
      parts.add(filter.addAsync(chunk).toCompletableFuture());
    }
    return CompletableFuture.allOf(parts.toArray(new CompletableFuture<?>[0]));
  }

  /** Builds a {@link RedissonKeyFilter}; every setting may be set once. */
  public static final class Builder {
    private final RedissonClient client;
    private final String namespace;
    private final String cacheName;
    private long expectedInsertions;
    private double falseProbability = DEFAULT_FALSE_PROBABILITY;
    private boolean falseProbabilitySet;
    private @Nullable Duration callTimeout;
    private @Nullable Duration buildTimeout;
    private @Nullable Ticker ticker;

    private Builder(RedissonClient client, String namespace, String cacheName) {
      this.client = Objects.requireNonNull(client, "client");
      this.namespace = checkName("namespace", namespace);
      this.cacheName = checkName("cacheName", cacheName);
    }

    /** How many ids the filter is sized for (required); past it, false positives grow beyond the probability. */
    public Builder expectedInsertions(long expectedInsertions) {
      if (this.expectedInsertions != 0) {
        throw new IllegalStateException("expectedInsertions was already set to " + this.expectedInsertions);
      }
      if (expectedInsertions <= 0) {
        throw new IllegalArgumentException("expectedInsertions must be positive, was " + expectedInsertions);
      }
      this.expectedInsertions = expectedInsertions;
      return this;
    }

    /** The false-positive probability at the expected insertions, in (0, 1); default 0.01. */
    public Builder falseProbability(double falseProbability) {
      if (falseProbabilitySet) {
        throw new IllegalStateException("falseProbability was already set to " + this.falseProbability);
      }
      if (!(falseProbability > 0 && falseProbability < 1)) {
        throw new IllegalArgumentException("falseProbability must be between 0 and 1 (exclusive), was "
            + falseProbability);
      }
      this.falseProbability = falseProbability;
      this.falseProbabilitySet = true;
      return this;
    }

    /** The longest one round trip may take before a call fails open; default one second. */
    public Builder callTimeout(Duration callTimeout) {
      this.callTimeout = checkTimeout("callTimeout", this.callTimeout, callTimeout);
      return this;
    }

    /** The longest a rebuild may take, from start to switch; default 30 minutes. */
    public Builder buildTimeout(Duration buildTimeout) {
      this.buildTimeout = checkTimeout("buildTimeout", this.buildTimeout, buildTimeout);
      return this;
    }

    /**
     * The clock that measures the call and build deadlines; default the system clock, {@link Ticker#system()}.
     * Waits stay real: a call waits as long as its deadline has left on this clock.
     */
    public Builder ticker(Ticker ticker) {
      if (this.ticker != null) {
        throw new IllegalStateException("ticker was already set");
      }
      this.ticker = Objects.requireNonNull(ticker, "ticker");
      return this;
    }

    /**
     * The filter. Nothing is sent to Redis: run a {@link KeyFilter#rebuild} before relying on it.
     *
     * @throws IllegalStateException if the expected insertions were not set
     * @throws IllegalArgumentException if the expected insertions and probability need more bits than Redis holds
     */
    public KeyFilter build() {
      if (expectedInsertions == 0) {
        throw new IllegalStateException("expectedInsertions must be set");
      }
      double bits = -expectedInsertions * Math.log(falseProbability) / (Math.log(2) * Math.log(2));
      if (bits >= MAX_BITS) {
        throw new IllegalArgumentException("expectedInsertions " + expectedInsertions + " at falseProbability "
            + falseProbability + " need " + (long) bits + " bits; a Redis Bloom filter holds at most " + MAX_BITS);
      }
      if (bits < 1) {
        throw new IllegalArgumentException("expectedInsertions " + expectedInsertions + " at falseProbability "
            + falseProbability + " need less than one bit; lower the probability");
      }
      return new RedissonKeyFilter(this);
    }

    private static String checkName(String setting, String value) {
      Objects.requireNonNull(value, setting);
      if (!NAME.matcher(value).matches()) {
        throw new IllegalArgumentException(setting + " must be 1-128 characters of [A-Za-z0-9._-] (it becomes "
            + "part of Redis keys), was '" + value + "'");
      }
      return value;
    }

    private static Duration checkTimeout(String setting, @Nullable Duration previous, Duration value) {
      if (previous != null) {
        throw new IllegalStateException(setting + " was already set to " + previous);
      }
      Objects.requireNonNull(value, setting);
      if (value.isNegative() || value.isZero()) {
        throw new IllegalArgumentException(setting + " must be positive, was " + value);
      }
      return value;
    }
  }
}
