package io.lamina.warming;

import io.github.resilience4j.ratelimiter.RateLimiter;
import io.lamina.CacheLoader;
import io.lamina.Ticker;
import io.lamina.TieredCache;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.jspecify.annotations.Nullable;

/**
 * One warm-up: a coordinator thread plans and hands batches to {@code concurrency} worker threads, phase by
 * phase; a timer thread logs progress and ends the run at its deadline. Nothing here fills a tier itself: the L2
 * pass is {@link TieredCache#getAllPresent}, the source pass {@link TieredCache#getAll}.
 *
 * <p>Past 300 lines because a run's plan, its two passes, its batching and its three ends (done, deadline,
 * cancel) all read and write the same counters and the same completion, which {@link #progress()} reports.
 */
final class WarmupRun<K, V> implements Warmup {

  private static final Logger LOG = Logger.getLogger(CacheWarmer.class.getName());
  private static final AtomicInteger RUNS = new AtomicInteger();

  private final TieredCache<K, V> cache;
  private final WarmupConfig config;
  private final List<WarmupSource<? extends K>> sources;
  private final RateLimiter limiter;
  private final @Nullable CacheLoader<? super K, ? extends V> loader;
  private final Ticker ticker;
  private final String threadPrefix;

  private final AtomicLong total = new AtomicLong();
  private final AtomicLong fromL2 = new AtomicLong();
  private final AtomicLong loaded = new AtomicLong();
  private final AtomicLong absent = new AtomicLong();
  private final AtomicLong failed = new AtomicLong();
  private final AtomicLong skipped = new AtomicLong();
  private volatile WarmupState state = WarmupState.PENDING;
  private volatile @Nullable String lastError;
  private volatile long startNanos;
  private volatile long endNanos = -1;
  private final CompletableFuture<WarmupProgress> completion = new CompletableFuture<>();
  private @Nullable ExecutorService workers;
  private @Nullable ScheduledExecutorService timer;

  WarmupRun(TieredCache<K, V> cache, WarmupConfig config, List<WarmupSource<? extends K>> sources,
      @Nullable RateLimiter limiter, @Nullable CacheLoader<? super K, ? extends V> loader, Ticker ticker) {
    this.cache = cache;
    this.config = config;
    this.sources = sources;
    this.limiter = limiter != null ? limiter
        : SourceRateLimit.of(cache.name(), config.sourceRateLimit(), config.deadline());
    this.loader = loader;
    this.ticker = ticker;
    this.threadPrefix = "lamina-warming-" + cache.name() + '-' + RUNS.incrementAndGet();
  }

  synchronized void start() {
    startNanos = ticker.read();
    state = WarmupState.PLANNING;
    ScheduledExecutorService t = Executors.newSingleThreadScheduledExecutor(daemon(threadPrefix + "-timer"));
    timer = t;
    workers = Executors.newFixedThreadPool(config.concurrency(), daemon(threadPrefix + "-worker"));
    long deadline = config.deadline().toNanos();
    t.schedule(() -> finish(WarmupState.TIMED_OUT), deadline, TimeUnit.NANOSECONDS);
    long every = config.progressInterval().toNanos();
    t.scheduleAtFixedRate(() -> LOG.info(() -> "warming " + progress().describe()), every, every,
        TimeUnit.NANOSECONDS);
    daemon(threadPrefix).newThread(this::run).start();
  }

  private void run() {
    try {
      List<K> plan = plan();
      total.set(plan.size());
      LOG.info(() -> "warming cache '" + cache.name() + "': " + plan.size() + " keys planned from "
          + sourceNames() + " (" + config.mode() + ", at most " + limiter.getRateLimiterConfig().getLimitForPeriod()
          + " source keys per " + limiter.getRateLimiterConfig().getLimitRefreshPeriod().toMillis() + " ms, "
          + config.concurrency() + " batches at once, deadline " + config.deadline() + ')');
      Set<K> missing = ConcurrentHashMap.newKeySet();
      if (!enter(WarmupState.FROM_L2)
          || !inBatches(plan, config.batchSize(), batch -> fromL2(batch, missing))) {
        return;
      }
      if (config.mode() == WarmupMode.L2_THEN_SOURCE && !missing.isEmpty()) {
        int size = Math.min(config.batchSize(), SourceRateLimit.slice(limiter));
        if (!enter(WarmupState.FROM_SOURCE) || !inBatches(inPlanOrder(plan, missing), size, this::fromSource)) {
          return;
        }
      }
      finish(WarmupState.DONE);
    } catch (Throwable t) {
      error("warm-up", t);
      finish(WarmupState.DONE);
    }
  }

  /** The keys of every source, in order, duplicates once, at most {@code maxKeys}. */
  private List<K> plan() {
    Set<K> keys = new LinkedHashSet<>();
    for (WarmupSource<? extends K> source : sources) {
      if (completion.isDone()) {
        break;
      }
      try {
        for (K key : source.keys()) {
          if (keys.size() < config.maxKeys()) {
            keys.add(Objects.requireNonNull(key, () -> "warm-up source '" + source.name() + "' listed a null key"));
          } else if (!keys.contains(key)) {
            skipped.incrementAndGet();
          }
        }
      } catch (Exception e) {
        error("source '" + source.name() + "'", e);
      }
    }
    return new ArrayList<>(keys);
  }

  /**
   * The keys L2 lacked, in the plan's order: the L2 batches end in any order, but the plan lists the hottest keys
   * first, and the source pass should reach them first.
   */
  private static <K> List<K> inPlanOrder(List<K> plan, Set<K> missing) {
    List<K> ordered = new ArrayList<>(missing.size());
    for (K key : plan) {
      if (missing.contains(key)) {
        ordered.add(key);
      }
    }
    return ordered;
  }

  private void fromL2(List<K> batch, Set<K> missing) {
    checkL2();
    Map<K, V> found = cache.getAllPresent(batch);
    fromL2.addAndGet(found.size());
    for (K key : batch) {
      if (!found.containsKey(key)) {
        if (config.mode() == WarmupMode.L2_ONLY) {
          absent.incrementAndGet();
        } else {
          missing.add(key);
        }
      }
    }
  }

  /**
   * Fails the batch while the cache's L2 breaker is open: a read then bypasses the tiers, so loading from the
   * source would cache nothing. (A single timeout does not count: its keys go on to the source pass, which reads
   * L2 again with leases.)
   */
  private void checkL2() {
    String breaker = cache.stats().protection().remoteBreakerState();
    if (breaker.equals("OPEN") || breaker.equals("FORCED_OPEN")) {
      throw new IllegalStateException("L2 is unavailable (its circuit breaker is " + breaker + "); the batch is"
          + " not loaded from the source, which would cache nothing");
    }
  }

  private void fromSource(List<K> batch) {
    checkL2();
    if (!limiter.acquirePermission(batch.size())) {
      if (!completion.isDone()) {
        throw new IllegalStateException("the source rate limiter granted no permit before the deadline");
      }
      return;
    }
    CacheLoader<? super K, ? extends V> own = loader;
    if (own == null) {
      Map<K, V> values = cache.getAll(batch);
      loaded.addAndGet(values.size());
      absent.addAndGet(batch.size() - values.size());
      return;
    }
    for (K key : batch) { // a loader of one key at a time: still the guarded read path, one key per call
      if (completion.isDone()) {
        return;
      }
      try {
        if (cache.get(key, own) != null) {
          loaded.incrementAndGet();
        } else {
          absent.incrementAndGet();
        }
      } catch (RuntimeException e) {
        if (!completion.isDone()) {
          failed.incrementAndGet();
          error("key '" + key + "'", e);
        }
      }
    }
  }

  /**
   * Runs {@code work} over {@code keys} in batches on the workers, at most {@code concurrency} at once.
   *
   * @return false if the warm-up ended (deadline, cancel) before every batch ran
   */
  private boolean inBatches(List<K> keys, int size, Consumer<List<K>> work) {
    ExecutorService pool = Objects.requireNonNull(workers);
    List<CompletableFuture<Void>> batches = new ArrayList<>();
    try {
      for (int from = 0; from < keys.size(); from += size) {
        List<K> batch = keys.subList(from, Math.min(keys.size(), from + size));
        batches.add(CompletableFuture.runAsync(() -> {
          if (completion.isDone()) {
            return;
          }
          try {
            work.accept(batch);
          } catch (Throwable t) {
            if (!completion.isDone()) {
              failed.addAndGet(batch.size());
              error("a batch of " + batch.size() + " keys", t);
            }
          }
        }, pool));
      }
    } catch (RejectedExecutionException stopped) {
      return false;
    }
    CompletableFuture.anyOf(CompletableFuture.allOf(batches.toArray(CompletableFuture[]::new)), completion).join();
    return !completion.isDone();
  }

  private boolean enter(WarmupState next) {
    synchronized (this) {
      if (completion.isDone()) {
        return false;
      }
      state = next;
      return true;
    }
  }

  private void finish(WarmupState end) {
    WarmupProgress last;
    synchronized (this) {
      if (completion.isDone()) {
        return;
      }
      endNanos = ticker.read();
      state = end;
      if (end != WarmupState.DONE) {
        skipped.addAndGet(Math.max(0, total.get() - done()));
      }
      last = progress();
      completion.complete(last);
    }
    Objects.requireNonNull(workers).shutdownNow();
    Objects.requireNonNull(timer).shutdownNow();
    if (end == WarmupState.TIMED_OUT) {
      LOG.warning(() -> "warming of cache '" + cache.name() + "' stopped at its deadline of " + config.deadline()
          + " (warming.deadline): " + last.describe());
    } else if (last.failed() > 0 || last.lastError() != null) {
      LOG.warning(() -> "warming " + last.describe());
    } else {
      LOG.info(() -> "warmed " + last.describe());
    }
  }

  private long done() {
    return fromL2.get() + loaded.get() + absent.get() + failed.get();
  }

  private void error(String what, Throwable t) {
    String message = what + " failed: " + t;
    lastError = message;
    LOG.log(Level.FINE, "warming cache '" + cache.name() + "': " + message, t);
  }

  private String sourceNames() {
    List<String> names = new ArrayList<>();
    sources.forEach(s -> names.add(s.name()));
    return String.join(", ", names);
  }

  @Override
  public String cache() {
    return cache.name();
  }

  @Override
  public WarmupProgress progress() {
    long end = endNanos;
    long start = startNanos;
    long elapsed = state == WarmupState.PENDING ? 0 : (end >= 0 ? end : ticker.read()) - start;
    return new WarmupProgress(cache.name(), state, total.get(), fromL2.get(), loaded.get(), absent.get(),
        failed.get(), skipped.get(), Duration.ofNanos(Math.max(0, elapsed)), lastError);
  }

  @Override
  public CompletableFuture<WarmupProgress> completion() {
    return completion.copy();
  }

  @Override
  public WarmupProgress await() throws InterruptedException {
    try {
      return completion.get();
    } catch (ExecutionException e) {
      throw new IllegalStateException("a warm-up never completes exceptionally", e);
    }
  }

  @Override
  public void cancel() {
    finish(WarmupState.CANCELLED);
  }

  private static ThreadFactory daemon(String name) {
    AtomicInteger n = new AtomicInteger();
    return r -> {
      Thread t = new Thread(r, name.endsWith("worker") ? name + '-' + n.incrementAndGet() : name);
      t.setDaemon(true);
      return t;
    };
  }
}
