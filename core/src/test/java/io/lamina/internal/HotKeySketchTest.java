package io.lamina.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lamina.HotKey;
import io.lamina.Ticker;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class HotKeySketchTest {

  private static final Duration WINDOW = Duration.ofSeconds(60);
  private static final int KEYS = 100_000;
  private static final int READS = 1_000_000;

  private final AtomicLong now = new AtomicLong(1_000_000_000L);
  private final Ticker ticker = now::get;

  @Test
  void zipfStream_trueTop10AreFound_withCountsWithinTheErrorBound() {
    HotKeySketch sketch = new HotKeySketch(10, WINDOW, 6, 1, 0.005, 0, ticker, Runnable::run);
    int[] truth = replayZipf(sketch, 42, Duration.ofSeconds(30));

    List<HotKey> top = sketch.top(10);

    assertThat(ids(top)).containsExactlyInAnyOrderElementsOf(trueTop(truth, 10));
    for (HotKey hot : top) {
      long exact = truth[index(hot.id())];
      assertThat(hot.count()).as(hot.id()).isBetween(exact, exact + hot.error());
    }
    printErrors("zipf, every read", top, truth);
  }

  @Test
  void zipfStream_sampled_trueTop10AreFound_withCountsWithinTheErrorBound() {
    HotKeySketch sketch = new HotKeySketch(20, WINDOW, 6, 8, 0.002, 0, ticker, Runnable::run);
    int[] truth = replayZipf(sketch, 7, Duration.ofSeconds(30));

    List<HotKey> top = sketch.top(20);

    assertThat(ids(top)).containsAll(trueTop(truth, 10));
    for (HotKey hot : top) {
      long exact = truth[index(hot.id())];
      assertThat(hot.count()).as(hot.id()).isBetween(exact - hot.error(), exact + hot.error());
    }
    printErrors("zipf, one read in 8", top.subList(0, 10), truth);
  }

  @Test
  void uniformStream_reportsNothingHot() {
    HotKeySketch sketch = new HotKeySketch(10, WINDOW, 6, ticker);
    Random random = new Random(3);
    for (int i = 0; i < READS; i++) {
      sketch.record(key(random.nextInt(KEYS)));
      if (i % 100 == 0) {
        now.addAndGet(3_000_000);
      }
    }

    assertThat(sketch.top(10)).isEmpty();
    assertThat(IntStream.range(0, KEYS).filter(i -> sketch.isHot(key(i)))).isEmpty();
  }

  @Test
  void keyHotOnlyEarly_staysForTheWindow_thenDropsOut() {
    HotKeySketch sketch = exact(5, WINDOW, 6);
    for (int i = 0; i < 1_000; i++) {
      sketch.record("early");
      sketch.record(key(i));
    }
    assertThat(ids(sketch.top(5))).containsExactly("early");

    // Other traffic only; the early reads sit in the first bucket, live until the window has passed.
    for (int second = 1; second < 60; second++) {
      now.addAndGet(Duration.ofSeconds(1).toNanos());
      background(sketch, second);
    }
    assertThat(sketch.isHot("early")).isTrue();
    assertThat(ids(sketch.top(5))).containsExactly("early");

    now.addAndGet(Duration.ofSeconds(1).toNanos());
    background(sketch, 60);
    assertThat(sketch.isHot("early")).as("refreshed by recording alone").isFalse();
    assertThat(sketch.top(5)).isEmpty();
  }

  @Test
  void keyHotLater_replacesTheOldHotKey() {
    HotKeySketch sketch = exact(5, Duration.ofSeconds(10), 5);
    for (int i = 0; i < 500; i++) {
      sketch.record("first");
    }
    now.addAndGet(Duration.ofSeconds(11).toNanos());
    for (int i = 0; i < 500; i++) {
      sketch.record("second");
    }

    List<HotKey> top = sketch.top(5);
    assertThat(ids(top)).containsExactly("second");
    assertThat(top.get(0).count()).isEqualTo(500);
    assertThat(top.get(0).share()).isEqualTo(1.0);
  }

  @Test
  void concurrentRecorders_loseNoMoreThanTheErrorBound_andNeverThrow() throws Exception {
    int threads = 4;
    int hotReadsPerThread = 400_000;
    List<String> hotIds = List.of("hot-0", "hot-1", "hot-2", "hot-3");
    HotKeySketch sketch = new HotKeySketch(8, WINDOW, 6, 1, 0.01, 0, ticker, Runnable::run);
    CountDownLatch start = new CountDownLatch(1);
    AtomicBoolean recording = new AtomicBoolean(true);
    ExecutorService pool = Executors.newFixedThreadPool(threads + 1);
    try {
      List<Future<?>> recorders = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        int seed = t;
        recorders.add(pool.submit(() -> {
          Random random = new Random(seed);
          start.await();
          for (int i = 0; i < hotReadsPerThread; i++) {
            for (String id : hotIds) {
              sketch.record(id);
            }
            if (i % 16 == 0) {
              // Few enough cold reads that their collisions cannot hide lost hot ones.
              sketch.record(key(random.nextInt(KEYS)));
            }
            if (i % 1_000 == 0) {
              // 20 s in all: refreshes by recording and two rotations, all within the window.
              now.addAndGet(12_500_000);
            }
          }
          return null;
        }));
      }
      Future<?> reader = pool.submit(() -> {
        start.await();
        while (recording.get()) {
          List<HotKey> top = sketch.top(8);
          assertThat(top).isSortedAccordingTo(Comparator.comparingLong(HotKey::count).reversed());
          sketch.isHot("hot-0");
        }
        return null;
      });
      start.countDown();
      for (Future<?> recorder : recorders) {
        recorder.get(2, TimeUnit.MINUTES);
      }
      recording.set(false);
      reader.get(1, TimeUnit.MINUTES);
    } finally {
      pool.shutdownNow();
    }

    long exact = (long) threads * hotReadsPerThread;
    List<HotKey> top = sketch.top(8);
    assertThat(ids(top)).containsExactlyInAnyOrderElementsOf(hotIds);
    for (HotKey hot : top) {
      assertThat(hot.count()).as(hot.id()).isBetween(exact, exact + hot.error());
      assertThat(sketch.isHot(hot.id())).isTrue();
    }
  }

  @Test
  void dueRefresh_isHandedToTheExecutor_onePendingAtATime() {
    List<Runnable> queued = new ArrayList<>();
    HotKeySketch sketch = new HotKeySketch(4, WINDOW, 6, 1, 0.01, 0, ticker, queued::add);
    for (int i = 0; i < 100; i++) {
      sketch.record("k");
    }
    assertThat(queued).isEmpty();

    now.addAndGet(Duration.ofSeconds(1).toNanos());
    for (int i = 0; i < 100; i++) {
      sketch.record("k");
    }
    assertThat(queued).hasSize(1);
    assertThat(sketch.isHot("k")).as("before the refresh ran").isFalse();

    queued.remove(0).run();
    assertThat(sketch.isHot("k")).isTrue();
    now.addAndGet(Duration.ofSeconds(1).toNanos());
    sketch.record("k");
    assertThat(queued).as("the next one").hasSize(1);
  }

  @Test
  void rejectingExecutor_refreshesOnTheRecordingThread() {
    HotKeySketch sketch = new HotKeySketch(4, WINDOW, 6, 1, 0.01, 0, ticker, task -> {
      throw new RejectedExecutionException("shut down");
    });
    for (int i = 0; i < 100; i++) {
      sketch.record("k");
    }
    now.addAndGet(Duration.ofSeconds(1).toNanos());
    sketch.record("k");

    assertThat(sketch.isHot("k")).isTrue();
  }

  @Test
  void top_isOrderedByCount_andLimitedToNAndK() {
    HotKeySketch sketch = exact(4, WINDOW, 6);
    List<String> shuffled = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      for (int j = 0; j < (i + 1) * 100; j++) {
        shuffled.add("key-" + i);
      }
    }
    Collections.shuffle(shuffled, new Random(5));
    shuffled.forEach(sketch::record);

    assertThat(ids(sketch.top(10))).containsExactly("key-7", "key-6", "key-5", "key-4");
    assertThat(sketch.top(10)).isSortedAccordingTo(Comparator.comparingLong(HotKey::count).reversed());
    assertThat(ids(sketch.top(2))).containsExactly("key-7", "key-6");
    assertThat(sketch.top(0)).isEmpty();
    assertThat(sketch.isHot("key-4")).isTrue();
    assertThat(sketch.isHot("key-3")).as("beyond k").isFalse();
  }

  @Test
  void minPerSecond_keepsAQuietCacheFromReportingHotKeys() {
    HotKeySketch sketch = new HotKeySketch(4, WINDOW, 6, 1, 0.01, 1.0, ticker, Runnable::run);
    for (int i = 0; i < 59; i++) {
      sketch.record("quiet");
    }
    assertThat(sketch.top(4)).as("59 reads in 60 s").isEmpty();

    sketch.record("quiet");
    assertThat(ids(sketch.top(4))).containsExactly("quiet");
  }

  @Test
  void reset_forgetsEveryRead() {
    HotKeySketch sketch = exact(4, WINDOW, 6);
    for (int i = 0; i < 1_000; i++) {
      sketch.record("k");
    }
    assertThat(sketch.top(4)).isNotEmpty();

    sketch.reset();

    assertThat(sketch.isHot("k")).isFalse();
    assertThat(sketch.top(4)).isEmpty();
    for (int i = 0; i < 100; i++) {
      sketch.record("k");
    }
    assertThat(sketch.top(4)).extracting(HotKey::count).containsExactly(100L);
  }

  @Test
  void invalidConfig_isRejected_namingTheValue() {
    assertRejected(() -> new HotKeySketch(0, WINDOW, 6, ticker), "k", "0");
    assertRejected(() -> new HotKeySketch(1025, WINDOW, 6, ticker), "k", "1025");
    assertRejected(() -> new HotKeySketch(10, WINDOW, 1, ticker), "buckets", "1");
    assertRejected(() -> new HotKeySketch(10, WINDOW, 65, ticker), "buckets", "65");
    assertRejected(() -> new HotKeySketch(10, Duration.ofMillis(5), 6, ticker), "window", "PT0.005S");
    assertRejected(() -> new HotKeySketch(10, Duration.ofSeconds(-1), 6, ticker), "window", "PT-1S");
    assertRejected(() -> tuned(0, 0.01, 1), "sampleEvery", "0");
    assertRejected(() -> tuned(1 << 17, 0.01, 1), "sampleEvery", "131072");
    assertRejected(() -> tuned(1, 0.0001, 1), "minShare", "1.0E-4");
    assertRejected(() -> tuned(1, 1.5, 1), "minShare", "1.5");
    assertRejected(() -> tuned(1, Double.NaN, 1), "minShare", "NaN");
    assertRejected(() -> tuned(1, 0.01, -1), "minPerSecond", "-1.0");
    assertRejected(() -> tuned(1, 0.01, Double.POSITIVE_INFINITY), "minPerSecond", "Infinity");
    HotKeySketch sketch = tuned(1, 0.01, 1);
    assertRejected(() -> sketch.top(-1), "n", "-1");
  }

  @Test
  void hotKey_rejectsImpossibleFields() {
    assertRejected(() -> new HotKey("k", -1, 0, 0), "count", "-1");
    assertRejected(() -> new HotKey("k", 1, -2, 0), "error", "-2");
    assertRejected(() -> new HotKey("k", 1, 0, 1.5), "share", "1.5");
  }

  /** A Zipf(0.99) stream of {@link #READS} reads over {@link #KEYS} keys, spread over {@code span}. */
  private int[] replayZipf(HotKeySketch sketch, long seed, Duration span) {
    double[] cumulative = new double[KEYS];
    double sum = 0;
    for (int i = 0; i < KEYS; i++) {
      sum += 1 / Math.pow(i + 1, 0.99);
      cumulative[i] = sum;
    }
    int[] truth = new int[KEYS];
    Random random = new Random(seed);
    long step = span.toNanos() / READS;
    for (int i = 0; i < READS; i++) {
      int found = Arrays.binarySearch(cumulative, random.nextDouble() * sum);
      int rank = Math.min(found >= 0 ? found : -found - 1, KEYS - 1);
      truth[rank]++;
      sketch.record(key(rank));
      now.addAndGet(step);
    }
    return truth;
  }

  private void background(HotKeySketch sketch, int second) {
    for (int i = 0; i < 100; i++) {
      sketch.record("bg-" + second + "-" + i);
    }
  }

  /** A sketch recording every read, with the default thresholds. */
  private HotKeySketch exact(int k, Duration window, int buckets) {
    return new HotKeySketch(k, window, buckets, 1, HotKeySketch.DEFAULT_MIN_SHARE,
        HotKeySketch.DEFAULT_MIN_PER_SECOND, ticker, Runnable::run);
  }

  private HotKeySketch tuned(int sampleEvery, double minShare, double minPerSecond) {
    return new HotKeySketch(10, WINDOW, 6, sampleEvery, minShare, minPerSecond, ticker, Runnable::run);
  }

  private static Set<String> trueTop(int[] truth, int n) {
    return IntStream.range(0, truth.length).boxed()
        .sorted(Comparator.comparingInt((Integer i) -> truth[i]).reversed())
        .limit(n)
        .map(HotKeySketchTest::key)
        .collect(Collectors.toSet());
  }

  private static void printErrors(String label, List<HotKey> top, int[] truth) {
    double worst = 0;
    long worstBound = 0;
    for (HotKey hot : top) {
      long exact = truth[index(hot.id())];
      worst = Math.max(worst, Math.abs(hot.count() - exact) / (double) exact);
      worstBound = Math.max(worstBound, hot.error());
    }
    System.out.printf("%s: largest relative error of the top %d %.4f %%, largest error bound %d reads%n",
        label, top.size(), worst * 100, worstBound);
  }

  private static void assertRejected(Runnable call, String... words) {
    assertThatThrownBy(call::run).isInstanceOf(IllegalArgumentException.class).hasMessageContainingAll(words);
  }

  private static List<String> ids(List<HotKey> keys) {
    return keys.stream().map(HotKey::id).toList();
  }

  private static String key(int index) {
    return "key-" + index;
  }

  private static int index(String key) {
    return Integer.parseInt(key.substring("key-".length()));
  }
}
