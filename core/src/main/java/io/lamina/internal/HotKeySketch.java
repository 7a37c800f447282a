package io.lamina.internal;

import io.lamina.HotKey;
import io.lamina.Ticker;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executor;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Finds this node's hot keys: the top {@code k} ids by reads over a sliding time window, with counts.
 *
 * <p><b>How.</b> The window is split into {@code buckets} sub-windows, each a Count-Min sketch of depth 4 whose
 * width {@code w} is the smallest power of two at least {@code 4e / minShare}. A read increments one counter per
 * row of the current bucket; a key's window count is the sum over buckets of each bucket's Count-Min estimate;
 * the oldest bucket is zeroed when time moves past it. Which ids to estimate comes from a ring of recently
 * recorded ids, each read overwriting a random slot, merged at every refresh with the previous refresh's
 * candidates; ids estimated below half the hot threshold are dropped.
 *
 * <p><b>Accuracy.</b> Let {@code c} be a key's reads in the window, {@code N} all reads in it, {@code ε = e / w}
 * ({@code ≤ minShare / 4}). Without sampling the estimate satisfies {@code c ≤ ĉ ≤ c + εN} with probability at
 * least {@code 1 - e^-4} (98.2 %); it never undercounts. Recording one read in {@code s} ({@code sampleEvery})
 * adds a sampling error within {@code ±4·sqrt(c·(s - 1))} with probability 99.99 %. {@link HotKey#error()}
 * reports the sum of the two bounds. The ring holds {@code 16 / minShare} ids or more: once it has turned over
 * since the last refresh, a key taking a share {@code φ ≥ minShare} of those reads has on average 16 copies or
 * more in it and is missed with probability about {@code e^-16}, and then only until the next refresh; before it
 * has turned over, nearly every recorded id is still in it. Counters are indexed by a hash seeded per process
 * ({@code SeededHash}), so ids cannot be chosen to inflate another id's count.
 *
 * <p><b>Window.</b> A read counts until its bucket is reused: for at least {@code window - window / buckets}
 * and at most {@code window}. A key is hot when its estimate reaches both {@code minShare} of the window's reads
 * and {@code minPerSecond × window}.
 *
 * <p><b>Cost and threads.</b> All methods are thread-safe. {@link #record} draws one thread-local random number;
 * one read in {@code s} then reads the ticker and makes four atomic increments (contended only between threads
 * reading the same hot key) and one opaque store, and allocates nothing. Sampling is what keeps a hit cheap: a
 * recorded read costs several times a skipped one. Every {@code min(window / buckets, 1 s)} the first recording
 * thread to notice hands the refresh (rotation and re-ranking, tens of microseconds; it allocates) to the
 * executor, unless one is pending; no thread ever waits for it. With the calling thread as executor, that one read
 * pays for it; with another executor, reads racing a rotation may count in the bucket before. {@link #isHot} is a
 * lookup in the set the last refresh published. Memory: {@code (buckets + 2) × 4 × w × 4} bytes (the buckets'
 * ints and one set of long sums) plus a ring of {@code 16 / minShare} references rounded up to a power of two:
 * 256 KiB and 2048 references with six buckets and a {@code minShare} of 1 %.
 *
 * <p><b>Why written here.</b> Nothing on core's classpath (JSpecify, Resilience4j) counts frequencies.
 * Caffeine's frequency sketch is internal and has neither top-K nor window; Apache DataSketches' frequent-items
 * sketch is neither thread-safe nor windowed; stream-lib's Space-Saving is single-threaded and unmaintained. None
 * records a read without a lock, and each would be core's first dependency on the read path.
 *
 * <p>Past 300 lines because of the header above, which states the accuracy, window and cost a caller relies on,
 * and the checked constructor; the rest is one structure (buckets, ring, refresh) sharing one set of counters.
 */
final class HotKeySketch {

  /** Record one read in 8: a hot key has reads to spare, and a hit should not pay for four atomic increments. */
  static final int DEFAULT_SAMPLE_EVERY = 8;
  /** A key is hot from 1 % of the node's reads. */
  static final double DEFAULT_MIN_SHARE = 0.01;
  /** A key is hot from one read per second on average over the window. */
  static final double DEFAULT_MIN_PER_SECOND = 1.0;

  static final int MAX_K = 1024;
  static final int MAX_BUCKETS = 64;
  static final int MAX_SAMPLE_EVERY = 1 << 16;
  static final double SMALLEST_MIN_SHARE = 0.001;

  private static final int DEPTH = 4;
  private static final long MIN_BUCKET_NANOS = 1_000_000L;
  private static final long MAX_REFRESH_NANOS = 1_000_000_000L;
  private static final double SAMPLING_SIGMAS = 4;

  private final int k;
  private final int sampleEvery;
  private final double minShare;
  private final double minCount;
  private final Ticker ticker;
  private final long origin;
  private final long bucketNanos;
  private final long refreshNanos;
  private final int widthShift;
  private final int mask;
  private final AtomicIntegerArray[] buckets;
  private final AtomicReferenceArray<String> ring;
  private final int ringMask;
  private final Executor executor;
  private final ReentrantLock lock = new ReentrantLock();
  private final AtomicBoolean refreshPending = new AtomicBoolean();
  private final Runnable refreshTask = this::refreshIfDue;

  private volatile int current;
  private volatile long nextRefreshAt;
  private volatile Snapshot snapshot = Snapshot.EMPTY;

  // Guarded by lock. settled holds the window's counters outside the current bucket, summed at each rotation,
  // so screening an id at a refresh reads one counter per row instead of one per row and bucket.
  private long epoch;
  private List<String> candidates = List.of();
  private final long[] settled;
  private long settledTotal;

  /**
   * A sketch that records {@link #DEFAULT_SAMPLE_EVERY one read in 8} and calls a key hot from {@link
   * #DEFAULT_MIN_SHARE} of the reads and {@link #DEFAULT_MIN_PER_SECOND}, refreshing on the recording thread.
   *
   * @throws IllegalArgumentException as {@link #HotKeySketch(int, Duration, int, int, double, double, Ticker,
   *     Executor)}
   */
  HotKeySketch(int k, Duration window, int buckets, Ticker ticker) {
    this(k, window, buckets, DEFAULT_SAMPLE_EVERY, DEFAULT_MIN_SHARE, DEFAULT_MIN_PER_SECOND, ticker, Runnable::run);
  }

  /**
   * A sketch.
   *
   * @param k the most hot keys reported, 1 to 1024
   * @param window how far back reads count
   * @param buckets sub-windows the window slides by, 2 to 64, each at least 1 ms long
   * @param sampleEvery record one read in this many (at random), 1 to 65536; counts are scaled back
   * @param minShare the smallest fraction of the window's reads a hot key takes, 0.001 to 1; also sets the
   *     sketch's width and so its error and memory
   * @param minPerSecond the smallest average read rate of a hot key over the window, 0 or more
   * @param ticker the clock windows are measured by
   * @param executor runs the periodic refresh; {@code Runnable::run} runs it on the recording thread that finds it
   *     due, and one that rejects or throws falls back to that
   * @throws IllegalArgumentException if a value lies outside its range, naming it
   */
  HotKeySketch(int k, Duration window, int buckets, int sampleEvery, double minShare, double minPerSecond,
      Ticker ticker, Executor executor) {
    check(k >= 1 && k <= MAX_K, "k must be between 1 and " + MAX_K + ", was " + k);
    check(buckets >= 2 && buckets <= MAX_BUCKETS,
        "buckets must be between 2 and " + MAX_BUCKETS + ", was " + buckets);
    check(!window.isNegative() && window.dividedBy(buckets).toNanos() >= MIN_BUCKET_NANOS,
        "window / buckets must be at least 1 ms, was " + window + " / " + buckets);
    check(sampleEvery >= 1 && sampleEvery <= MAX_SAMPLE_EVERY,
        "sampleEvery must be between 1 and " + MAX_SAMPLE_EVERY + ", was " + sampleEvery);
    check(minShare >= SMALLEST_MIN_SHARE && minShare <= 1,
        "minShare must be between " + SMALLEST_MIN_SHARE + " and 1, was " + minShare);
    check(minPerSecond >= 0 && Double.isFinite(minPerSecond),
        "minPerSecond must be finite and not negative, was " + minPerSecond);
    this.k = k;
    this.sampleEvery = sampleEvery;
    this.minShare = minShare;
    this.minCount = minPerSecond * window.toNanos() / 1e9;
    this.ticker = ticker;
    this.executor = executor;
    this.bucketNanos = window.dividedBy(buckets).toNanos();
    this.refreshNanos = Math.min(bucketNanos, MAX_REFRESH_NANOS);
    int width = powerOfTwoAtLeast(Math.max(64, (int) Math.ceil(4 * Math.E / minShare)));
    this.widthShift = Integer.numberOfTrailingZeros(width);
    this.mask = width - 1;
    this.settled = new long[DEPTH << widthShift];
    this.buckets = new AtomicIntegerArray[buckets];
    for (int b = 0; b < buckets; b++) {
      this.buckets[b] = new AtomicIntegerArray(DEPTH << widthShift);
    }
    int ringSize = powerOfTwoAtLeast(Math.max(64, (int) Math.ceil(16 / minShare)));
    this.ring = new AtomicReferenceArray<>(ringSize);
    this.ringMask = ringSize - 1;
    this.origin = ticker.read();
    this.nextRefreshAt = origin + refreshNanos;
  }

  /** Counts one read of {@code id}. Never blocks; see the class comment for its cost. */
  void record(String id) {
    long draw = draw();
    if (sampled(draw)) {
      record(id, draw);
    }
  }

  /** The random number that decides whether a read is recorded, drawn before the caller builds its id. */
  long draw() {
    return ThreadLocalRandom.current().nextLong();
  }

  /** Whether the read that drew {@code draw} is recorded: one read in {@code sampleEvery} is. */
  boolean sampled(long draw) {
    return sampleEvery == 1 || ((draw >>> 32) * sampleEvery) >>> 32 == 0;
  }

  /** Counts one sampled read of {@code id}, {@code random} its {@link #draw}. */
  void record(String id, long random) {
    if (ticker.read() - nextRefreshAt >= 0 && refreshPending.compareAndSet(false, true)) {
      try {
        executor.execute(refreshTask);
      } catch (RuntimeException rejected) {
        // A shut-down or failing executor must not stop the refreshes: do this one here.
        refreshTask.run();
      }
    }
    long hash = SeededHash.hash(id, SeededHash.PROCESS_SEED);
    AtomicIntegerArray cells = buckets[current];
    for (int row = 0; row < DEPTH; row++) {
      cells.getAndIncrement(cell(hash, row));
    }
    ring.setOpaque((int) random & ringMask, id);
  }

  /**
   * The hottest keys now, hottest first: at most {@code min(n, k)}, each above both thresholds. Recomputes the
   * ranking, so it costs a refresh (tens of microseconds); meant for reports, not for the read path.
   *
   * @throws IllegalArgumentException if {@code n} is negative
   */
  List<HotKey> top(int n) {
    check(n >= 0, "n must not be negative, was " + n);
    lock.lock();
    try {
      refresh(ticker.read());
    } finally {
      lock.unlock();
    }
    List<HotKey> all = snapshot.top;
    return all.subList(0, Math.min(n, all.size()));
  }

  /**
   * Whether {@code id} was among the {@link #top} keys at the last refresh, which is at most one refresh interval
   * old while reads are being recorded.
   */
  boolean isHot(String id) {
    return snapshot.ids.contains(id);
  }

  /** Forgets every read. Reads recorded while it runs may survive it. */
  void reset() {
    lock.lock();
    try {
      for (AtomicIntegerArray bucket : buckets) {
        clear(bucket);
      }
      for (int i = 0; i <= ringMask; i++) {
        ring.setPlain(i, null);
      }
      candidates = List.of();
      snapshot = Snapshot.EMPTY;
      long now = ticker.read();
      rotate(now);
      settle(current);
      nextRefreshAt = now + refreshNanos;
    } finally {
      lock.unlock();
    }
  }

  private void refreshIfDue() {
    try {
      if (lock.tryLock()) {
        try {
          long now = ticker.read();
          if (now - nextRefreshAt >= 0) {
            refresh(now);
          }
        } finally {
          lock.unlock();
        }
      }
    } finally {
      refreshPending.set(false);
    }
  }

  private void refresh(long now) {
    rotate(now);
    AtomicIntegerArray live = buckets[current];
    long total = settledTotal;
    for (int i = 0; i <= mask; i++) {
      total += live.getPlain(i);
    }
    double threshold = Math.max(Math.max(1, minShare * total), minCount / sampleEvery);
    // Ids below half the threshold cannot be hot now; if they become hot they reappear in the ring.
    double warm = threshold / 2;
    Map<String, Long> estimates = new HashMap<>();
    for (String id : candidates) {
      screen(id, live, warm, estimates);
    }
    for (int i = 0; i <= ringMask; i++) {
      String id = ring.getOpaque(i);
      if (id != null) {
        ring.setOpaque(i, null);
        screen(id, live, warm, estimates);
      }
    }
    List<Map.Entry<String, Long>> ranked = new ArrayList<>(estimates.entrySet());
    ranked.sort(Map.Entry.<String, Long>comparingByValue(Comparator.reverseOrder())
        .thenComparing(Map.Entry.comparingByKey()));
    long epsilonError = (long) Math.ceil(Math.E / (mask + 1) * total * sampleEvery);
    List<HotKey> top = new ArrayList<>();
    for (Map.Entry<String, Long> e : ranked) {
      long sampled = e.getValue();
      if (top.size() == k || sampled < threshold) {
        break;
      }
      long count = sampled * sampleEvery;
      long error = epsilonError
          + (long) Math.ceil(SAMPLING_SIGMAS * Math.sqrt((double) count * (sampleEvery - 1)));
      top.add(new HotKey(e.getKey(), count, error, Math.min(1.0, (double) sampled / total)));
    }
    candidates = List.copyOf(estimates.keySet());
    List<String> ids = new ArrayList<>(top.size());
    for (HotKey hot : top) {
      ids.add(hot.id());
    }
    snapshot = new Snapshot(List.copyOf(top), Set.copyOf(ids));
    nextRefreshAt = now + refreshNanos;
  }

  /**
   * Estimates {@code id} unless a cheaper bound already shows it cold: each row's window sum is at least the
   * estimate, and one row is usually enough to rule a cold id out.
   */
  private void screen(String id, AtomicIntegerArray live, double warm, Map<String, Long> estimates) {
    long hash = SeededHash.hash(id, SeededHash.PROCESS_SEED);
    for (int row = 0; row < DEPTH; row++) {
      int cell = cell(hash, row);
      if (settled[cell] + live.get(cell) < warm) {
        return;
      }
    }
    if (!estimates.containsKey(id)) {
      long estimate = estimate(hash);
      if (estimate >= warm) {
        estimates.put(id, estimate);
      }
    }
  }

  private void rotate(long now) {
    long target = Math.floorDiv(now - origin, bucketNanos);
    if (target <= epoch) {
      return;
    }
    // Zero the buckets about to be reused before recorders are pointed at them.
    long steps = Math.min(target - epoch, buckets.length);
    for (long step = 1; step <= steps; step++) {
      clear(buckets[Math.floorMod(epoch + step, buckets.length)]);
    }
    epoch = target;
    int next = Math.floorMod(target, buckets.length);
    current = next;
    settle(next);
  }

  /** Sums the buckets that no longer change (but for a few racing reads) into {@link #settled}. */
  private void settle(int live) {
    Arrays.fill(settled, 0);
    for (int b = 0; b < buckets.length; b++) {
      if (b != live) {
        AtomicIntegerArray cells = buckets[b];
        for (int i = 0; i < settled.length; i++) {
          settled[i] += cells.getPlain(i);
        }
      }
    }
    long total = 0;
    for (int i = 0; i <= mask; i++) {
      total += settled[i];
    }
    settledTotal = total;
  }

  private long estimate(long hash) {
    long sum = 0;
    for (AtomicIntegerArray cells : buckets) {
      int min = Integer.MAX_VALUE;
      for (int row = 0; row < DEPTH; row++) {
        min = Math.min(min, cells.get(cell(hash, row)));
      }
      sum += min;
    }
    return sum;
  }

  /** Row {@code row}'s counter for {@code hash}: each row indexes by its own 16 bits of the spread hash. */
  private int cell(long hash, int row) {
    return (row << widthShift) | ((int) (hash >>> (row << 4)) & mask);
  }

  private static void clear(AtomicIntegerArray cells) {
    for (int i = 0; i < cells.length(); i++) {
      cells.setOpaque(i, 0);
    }
  }

  private static int powerOfTwoAtLeast(int n) {
    return Integer.highestOneBit(n - 1) << 1;
  }

  private static void check(boolean condition, String message) {
    if (!condition) {
      throw new IllegalArgumentException(message);
    }
  }

  private record Snapshot(List<HotKey> top, Set<String> ids) {
    static final Snapshot EMPTY = new Snapshot(List.of(), Set.of());
  }
}
