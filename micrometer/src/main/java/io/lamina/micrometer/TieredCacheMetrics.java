package io.lamina.micrometer;

import io.lamina.TieredCache;
import io.lamina.TieredCacheListener;
import io.lamina.TieredCacheStats;
import io.lamina.TieredCacheStats.TierStats;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.FunctionTimer;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.ToDoubleFunction;
import java.util.function.ToLongFunction;

/**
 * Binds one {@link TieredCache} to a {@link MeterRegistry}.
 *
 * <p>Meters read the cache's {@link TieredCache#stats()} when the registry publishes, so the cache's hot path
 * pays nothing for them. Names follow Micrometer's cache conventions ({@code cache.gets}, {@code cache.puts},
 * {@code cache.evictions}, {@code cache.size}) with a {@code tier} tag ({@code l1} or {@code l2}); what has no
 * standard name is under {@code lamina.}. Every meter carries the tag {@code cache=<name>} plus the tags given,
 * except the bus meters, which describe the namespace ({@code namespace=<name>}).
 *
 * <p>{@code cache.gets} counts a read once at every tier it reaches (every read at {@code tier=l1}, the L1
 * misses at {@code tier=l2}), so a ratio over all its series counts an L2-served read as an L1 miss plus an L2
 * hit. {@value #GETS} counts each read once: the cache's hit ratio whichever tier answered.
 *
 * <p>The binder holds the cache strongly; remove the meters from the registry when a cache is closed and dropped.
 *
 * <p>Past 300 lines because every meter a dashboard may use is registered here with its name, tags and
 * description: one place to read all of them.
 */
public final class TieredCacheMetrics implements MeterBinder {

  public static final String CACHE_GETS = "cache.gets";
  public static final String CACHE_PUTS = "cache.puts";
  public static final String CACHE_EVICTIONS = "cache.evictions";
  public static final String CACHE_SIZE = "cache.size";
  public static final String INVALIDATIONS = "lamina.invalidations";
  public static final String LOADS = "lamina.loads";
  /** Reads counted once, whichever tier answered: {@code result=hit} (a tier answered) or {@code miss}. */
  public static final String GETS = "lamina.gets";
  /** Load time as a sum and count, from the stats; see {@link #LOAD_TIMER} for percentiles. */
  public static final String LOAD_DURATION = "lamina.load.duration";
  /** Load time per load, with a percentile histogram; recorded by {@link #loadTimings}. */
  public static final String LOAD_TIMER = "cache.load.duration";
  /**
   * Time of each call to the remote tier (L2), with a percentile histogram, tags {@code operation} (such as
   * {@code read}, {@code fill}, {@code tombstone}) and {@code result}; recorded by {@link #l2Latency}.
   */
  public static final String L2_LATENCY = "lamina.l2.latency";
  public static final String COALESCED_LOADS = "lamina.loads.coalesced";
  public static final String DECODE_FAILURES = "lamina.decode.failures";
  public static final String ENCODE_FAILURES = "lamina.encode.failures";
  public static final String REMOTE_FAILURES = "lamina.remote.failures";
  public static final String REJECTED_FILLS = "lamina.fills.rejected";
  public static final String WRITE_BEHIND_PENDING = "lamina.write.behind.pending";
  public static final String WRITE_BEHIND_WRITTEN = "lamina.write.behind.written";
  public static final String WRITE_BEHIND_FAILED = "lamina.write.behind.failed";
  public static final String BUS_SENT = "lamina.bus.invalidations.sent";
  public static final String BUS_RECEIVED = "lamina.bus.invalidations.received";
  public static final String BUS_MESSAGES = "lamina.bus.messages.sent";
  public static final String BUS_BATCHES = "lamina.bus.batches.sent";
  public static final String BUS_LARGEST_BATCH = "lamina.bus.batch.size.max";
  public static final String BUS_MALFORMED = "lamina.bus.malformed";
  public static final String BUS_FROM_STRANGERS = "lamina.bus.strangers";
  public static final String BUS_GAPS = "lamina.bus.gaps";
  public static final String BUS_FLUSHES = "lamina.bus.flushes";
  public static final String BUS_DEGRADED = "lamina.bus.degraded";
  public static final String BUS_LAG = "lamina.bus.lag";
  public static final String BUS_DELIVERY_LAG = "lamina.bus.delivery.lag";
  public static final String BUS_BEHIND = "lamina.bus.behind";
  public static final String L2_REPAIRS_FAILED = "lamina.l2.repairs.failed";
  public static final String L2_REPAIRS_LANDED = "lamina.l2.repairs.landed";
  public static final String L2_REPAIRS_PENDING = "lamina.l2.repairs.pending";
  public static final String L2_REPAIR_OVERFLOWS = "lamina.l2.repairs.overflows";
  public static final String L2_REFUSED_READS = "lamina.l2.reads.refused";
  public static final String LOAD_TIMEOUTS = "lamina.protection.load.timeouts";
  public static final String ABANDONED_LOADS = "lamina.protection.loads.abandoned";
  public static final String LEASE_WAITS = "lamina.protection.lease.waits";
  public static final String STALE_SERVED = "lamina.protection.stale.served";
  public static final String REFRESHES = "lamina.protection.refreshes";
  public static final String REJECTED = "lamina.protection.rejected";
  public static final String FILTERED = "lamina.protection.filtered";
  public static final String BREAKER_STATE = "lamina.protection.breaker.state";
  public static final String HOT_KEYS = "lamina.protection.hot.keys";
  /** Gap reasons a node reports; each gets its own {@code reason} tag. */
  private static final List<String> GAP_REASONS =
      List.of("sequence", "heartbeat", "epoch", "transport", "publish", "replay", "departed", "failover");

  private final TieredCache<?, ?> cache;
  private final Tags tags;
  private final Tags busTags;

  /** Meters for {@code cache}, tagged with its name and {@code extraTags}. */
  public TieredCacheMetrics(TieredCache<?, ?> cache, Iterable<Tag> extraTags) {
    this.cache = Objects.requireNonNull(cache, "cache");
    this.tags = Tags.concat(extraTags, "cache", cache.name());
    this.busTags = Tags.concat(extraTags, "namespace", cache.config().namespace());
  }

  /** Binds {@code cache} to {@code registry} with only the {@code cache} tag. */
  public static TieredCache<?, ?> monitor(MeterRegistry registry, TieredCache<?, ?> cache) {
    new TieredCacheMetrics(cache, Tags.empty()).bindTo(registry);
    return cache;
  }

  /**
   * A listener that times every load in the Timer {@value #LOAD_TIMER} (tags {@code cache}, {@code result} =
   * {@code success} or {@code failure}, and {@code extraTags}) with a percentile histogram, so dashboards can
   * show load-time percentiles ({@code histogram_quantile} in Prometheus). Give it to
   * {@link io.lamina.TieredCacheBuilder#listener}; one listener serves any number of caches.
   */
  public static TieredCacheListener loadTimings(MeterRegistry registry, Iterable<Tag> extraTags) {
    return new LoadTimings(registry, Tags.of(extraTags));
  }

  /**
   * A listener that times every call to the remote tier in the Timer {@value #L2_LATENCY} (tags {@code cache},
   * {@code operation} as core names it — {@code read}, {@code readAll}, {@code fill}, {@code tombstone}, …—,
   * {@code result} = {@code success} or {@code failure} (failed or timed out), and {@code extraTags}) with a
   * percentile histogram from 100 µs to 5 s. Calls an open breaker refused are not calls and are not timed. Give
   * it to {@link io.lamina.TieredCacheBuilder#listener}; one listener serves any number of caches.
   */
  public static TieredCacheListener l2Latency(MeterRegistry registry, Iterable<Tag> extraTags) {
    return new L2Latency(registry, Tags.of(extraTags));
  }

  /**
   * {@link #loadTimings} and {@link #l2Latency} in one listener, which also passes every event on to
   * {@code next} (the application's own listener, or {@link TieredCacheListener#NO_OP}): a cache takes a single
   * listener. The Spring Boot starter and the Quarkus extension give one to every cache they build when
   * Micrometer is present.
   */
  public static TieredCacheListener timings(MeterRegistry registry, Iterable<Tag> extraTags,
      TieredCacheListener next) {
    Tags tags = Tags.of(extraTags);
    return new Timings(new LoadTimings(registry, tags), new L2Latency(registry, tags),
        Objects.requireNonNull(next, "next"));
  }

  @Override
  public void bindTo(MeterRegistry registry) {
    tier(registry, "l1", TieredCacheStats::l1);
    tier(registry, "l2", TieredCacheStats::l2);
    Gauge.builder(CACHE_SIZE, cache, c -> c.stats().l1().size()).tags(tags).tag("tier", "l1")
        .description("Entries in this node's local tier, loads in flight included").register(registry);
    FunctionCounter.builder(CACHE_EVICTIONS, cache, stat(s -> s.l1().evictions())).tags(tags).tag("tier", "l1")
        .description("Local entries evicted by the size bound").register(registry);

    counter(registry, GETS, "Reads a tier answered, counted once whichever tier it was",
        s -> s.l1().hits() + s.l2().hits(), "result", "hit");
    counter(registry, GETS, "Reads no tier answered (they went to the source)",
        s -> Math.max(0, s.l1().misses() - s.l2().hits()), "result", "miss");
    counter(registry, LOADS, "Loader calls that returned a value", s -> s.loads() - s.negativeLoads(),
        "result", "success");
    counter(registry, LOADS, "Loader calls that returned null (negative results)", TieredCacheStats::negativeLoads,
        "result", "negative");
    counter(registry, LOADS, "Loader calls that threw", TieredCacheStats::loadFailures, "result", "failure");
    FunctionTimer.builder(LOAD_DURATION, cache, c -> {
          TieredCacheStats s = c.stats();
          return s.loads() + s.loadFailures();
        }, c -> c.stats().totalLoadTimeNanos(), TimeUnit.NANOSECONDS)
        .tags(tags).description("Time spent in the loader").register(registry);
    counter(registry, COALESCED_LOADS, "Callers that waited for another caller's load",
        TieredCacheStats::coalescedLoads);
    counter(registry, DECODE_FAILURES, "Remote entries that could not be decoded", TieredCacheStats::decodeFailures);
    counter(registry, ENCODE_FAILURES, "Loaded values that could not be encoded for L2, served and cached nowhere",
        TieredCacheStats::encodeFailures);
    counter(registry, REMOTE_FAILURES, "Remote calls that failed or timed out", TieredCacheStats::remoteFailures);
    counter(registry, REJECTED_FILLS, "Fills refused because a write overtook the load",
        TieredCacheStats::rejectedFills);
    Gauge.builder(WRITE_BEHIND_PENDING, cache, c -> c.pendingWrites()).tags(tags)
        .description("Keys queued or being written by write-behind").register(registry);
    counter(registry, WRITE_BEHIND_WRITTEN, "Keys written to the source by write-behind",
        TieredCacheStats::writeBehindWritten);
    counter(registry, WRITE_BEHIND_FAILED, "Write-behind writes given up after every attempt",
        TieredCacheStats::writeBehindFailed);
    if (registry.find(BUS_DEGRADED).tags(busTags).gauge() == null) {
      bus(registry); // the namespace's first cache binds them; the registry would ignore (and warn about) repeats
    }
    protection(registry);
    repairs(registry);
  }

  /** The repair of L2 writes that failed after the source changed (rule 13). */
  private void repairs(MeterRegistry registry) {
    counter(registry, L2_REPAIRS_FAILED, "L2 writes that failed after the source changed, queued for repair",
        s -> s.l2Repairs().failed());
    counter(registry, L2_REPAIRS_LANDED, "Repairs of failed L2 writes that landed", s -> s.l2Repairs().repaired());
    Gauge.builder(L2_REPAIRS_PENDING, cache, c -> c.stats().l2Repairs().pending()).tags(tags)
        .description("Repairs of failed L2 writes waiting now").register(registry);
    counter(registry, L2_REPAIR_OVERFLOWS, "Times the repair queue overflowed into one whole-cache clear",
        s -> s.l2Repairs().overflows());
    counter(registry, L2_REFUSED_READS, "L2 entries read but not trusted: a write of the key is not repaired yet",
        s -> s.l2Repairs().refusedReads());
  }

  /** What protection did: every decision is counted, and each breaker's state is a gauge. */
  private void protection(MeterRegistry registry) {
    counter(registry, LOAD_TIMEOUTS, "Loads abandoned after the load timeout", s -> s.protection().loadTimeouts());
    Gauge.builder(ABANDONED_LOADS, cache, c -> c.stats().protection().abandonedLoadsRunning()).tags(tags)
        .description("Loads abandoned after the load timeout whose loader is still running")
        .register(registry);
    counter(registry, LEASE_WAITS, "Waits for another node's load that were ended by its wake-up",
        s -> s.protection().wakeUps(), "outcome", "woken");
    counter(registry, LEASE_WAITS, "Waits for another node's load that ran out",
        s -> s.protection().leaseWaitsExpired(), "outcome", "expired");
    counter(registry, LEASE_WAITS, "Waits for another node's load, all outcomes",
        s -> s.protection().leaseWaits(), "outcome", "all");
    counter(registry, STALE_SERVED, "Stale values served while a refresh ran",
        s -> s.protection().staleServed(), "reason", "revalidate");
    counter(registry, STALE_SERVED, "Stale values served because a load failed",
        s -> s.protection().staleServedOnError(), "reason", "error");
    counter(registry, REFRESHES, "Background refreshes started", s -> s.protection().refreshes());
    counter(registry, REJECTED, "L2 calls not made: the L2 breaker was open",
        s -> s.protection().remoteCallsRejected(), "what", "remote");
    counter(registry, REJECTED, "Loads not made: the loader breaker was open or the bulkhead full",
        s -> s.protection().loadsRejected(), "what", "load");
    counter(registry, FILTERED, "Misses answered absent by the key filter", s -> s.protection().filteredMisses());
    Gauge.builder(BREAKER_STATE, cache, c -> breakerLevel(c.stats().protection().remoteBreakerState())).tags(tags)
        .tag("breaker", "remote").description("0 closed (or none), 1 half-open, 2 open, 3 other (disabled, forced)")
        .register(registry);
    Gauge.builder(BREAKER_STATE, cache, c -> breakerLevel(c.stats().protection().loaderBreakerState())).tags(tags)
        .tag("breaker", "loader").description("0 closed (or none), 1 half-open, 2 open, 3 other (disabled, forced)")
        .register(registry);
    Gauge.builder(HOT_KEYS, cache, TieredCacheMetrics::hotKeyCount).tags(tags)
        .description("Keys this node finds hot now (see TieredCache.hotKeys for which)").register(registry);
  }

  private static double hotKeyCount(TieredCache<?, ?> c) {
    return c.hotKeys().size();
  }

  private static double breakerLevel(String state) {
    return switch (state) {
      case "CLOSED", "NONE" -> 0;
      case "HALF_OPEN" -> 1;
      case "OPEN" -> 2;
      default -> 3;
    };
  }

  /**
   * The invalidation bus of the cache's namespace, as this node sees it (all zero without a bus). Tagged with
   * the namespace instead of the cache, so every cache of a namespace binds the same meters: the registry keeps
   * the first, and sums over caches do not multiply them.
   */
  private void bus(MeterRegistry registry) {
    busCounter(registry, BUS_SENT, "Invalidated ids this node sent", c -> c.coherence().invalidationsSent());
    busCounter(registry, BUS_RECEIVED, "Invalidated ids received from other nodes",
        c -> c.coherence().invalidationsReceived());
    busCounter(registry, BUS_MESSAGES, "Messages sent: batches, flushes, heartbeats",
        c -> c.coherence().messagesSent());
    busCounter(registry, BUS_BATCHES, "Invalidation batches sent (ids sent / batches = mean batch size)",
        c -> c.coherence().batchesSent());
    Gauge.builder(BUS_LARGEST_BATCH, cache, c -> c.coherence().largestBatch()).tags(busTags)
        .description("The most ids one invalidation batch carried").register(registry);
    busCounter(registry, BUS_MALFORMED, "Messages dropped as malformed", c -> c.coherence().malformed());
    busCounter(registry, BUS_FROM_STRANGERS, "Messages from origins not in the roster (only their removals applied)",
        c -> c.coherence().fromStrangers());
    busCounter(registry, BUS_FLUSHES, "Local tiers flushed after a gap or to resynchronise",
        c -> c.coherence().flushes());
    for (String reason : GAP_REASONS) {
      FunctionCounter.builder(BUS_GAPS, cache, c -> c.coherence().gaps().getOrDefault(reason, 0L))
          .tags(busTags).tag("reason", reason).description("Gaps detected in the invalidation stream")
          .register(registry);
    }
    FunctionTimer.builder(BUS_LAG, cache, c -> c.coherence().lagCount(), c -> c.coherence().lagTotalMicros(),
            TimeUnit.MICROSECONDS)
        .tags(busTags).description("Publish-to-apply lag of invalidations from other nodes").register(registry);
    Gauge.builder(BUS_DEGRADED, cache, c -> c.coherence().trusted() ? 0 : 1).tags(busTags)
        .description("1 while this node does not trust its local tier (reads bypass L1)").register(registry);
    Gauge.builder(BUS_DELIVERY_LAG, cache, c -> c.coherence().deliveryLagMicros() / 1_000_000.0).tags(busTags)
        .baseUnit("seconds").description("How far behind this node's proof that it applied every invalidation was"
            + " at its last check (its own clock)").register(registry);
    Gauge.builder(BUS_BEHIND, cache, c -> c.coherence().current() ? 0 : 1).tags(busTags)
        .description("1 while this node cannot prove it is within the staleness bound (old L1 entries bypassed)")
        .register(registry);
  }

  private void busCounter(MeterRegistry registry, String name, String description,
      ToDoubleFunction<TieredCache<?, ?>> f) {
    FunctionCounter.builder(name, cache, f).tags(busTags).description(description).register(registry);
  }

  private void tier(MeterRegistry registry, String tier, Function<TieredCacheStats, TierStats> of) {
    Tags tierTags = tags.and("tier", tier);
    FunctionCounter.builder(CACHE_GETS, cache, stat(s -> of.apply(s).hits())).tags(tierTags).tag("result", "hit")
        .description("Reads this tier answered").register(registry);
    FunctionCounter.builder(CACHE_GETS, cache, stat(s -> of.apply(s).misses())).tags(tierTags).tag("result", "miss")
        .description("Reads this tier could not answer").register(registry);
    FunctionCounter.builder(CACHE_PUTS, cache, stat(s -> of.apply(s).puts())).tags(tierTags)
        .description("Entries stored in this tier").register(registry);
    FunctionCounter.builder(INVALIDATIONS, cache, stat(s -> of.apply(s).invalidations())).tags(tierTags)
        .description("Entries removed (L1) or tombstoned (L2) by writes and invalidations").register(registry);
  }

  private void counter(MeterRegistry registry, String name, String description, ToLongFunction<TieredCacheStats> f,
      String... extraTags) {
    FunctionCounter.builder(name, cache, stat(f)).tags(tags).tags(extraTags).description(description)
        .register(registry);
  }

  private static ToDoubleFunction<TieredCache<?, ?>> stat(ToLongFunction<TieredCacheStats> f) {
    return c -> f.applyAsLong(c.stats());
  }
}
