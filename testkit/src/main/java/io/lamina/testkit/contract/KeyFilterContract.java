package io.lamina.testkit.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.lamina.TierUnavailableException;
import io.lamina.spi.KeyFilter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.IntFunction;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * What every {@link KeyFilter} must do: no false negatives (on every node, across rebuilds), false positives
 * within the configured probability, rebuilds that drop what the source no longer has and switch atomically, ids
 * added during a rebuild kept, invalid ids rejected, and an unreachable store failing open within a bound.
 * Subclass it, create filters on the store under test, and give the suite another node's handle on a filter and
 * a way to cut the store off.
 *
 * <p>Past 400 lines because it is the list of those rules, one test each, with the helpers they share; split, a
 * filter's author would have to find and subclass several suites to know they had run them all.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
public abstract class KeyFilterContract {

  /** How many ids the large tests add and probe. */
  protected static final int LARGE = 100_000;
  /** The false-positive probability filters are created with. */
  protected static final double FALSE_PROBABILITY = 0.01;
  /** How far above the configured probability a measured false-positive rate may be (sampling, rounding). */
  protected static final double FALSE_PROBABILITY_TOLERANCE = 1.5;

  private static final AtomicLong NAMES = new AtomicLong();
  private static final int CHUNK = 1_000;
  private static final int THREADS = 4;

  protected KeyFilter filter;
  protected ExecutorService pool;

  /**
   * Creates an empty filter ready for use, named {@code name} ({@code [A-Za-z0-9._-]}, unique per test), sized
   * for {@code expectedInsertions} ids at {@code falseProbability}. A store that needs a first build does it here.
   */
  protected abstract KeyFilter create(String name, long expectedInsertions, double falseProbability);

  /** Another node's handle on the same filter; a filter that cannot be shared may return itself. */
  protected abstract KeyFilter peer(KeyFilter filter);

  /** Cuts {@code filter} off from its store, as an outage would. */
  protected abstract void makeUnreachable(KeyFilter filter);

  /** Ends {@link #makeUnreachable}. */
  protected abstract void makeReachable(KeyFilter filter);

  /** The longest a call may take while the store is unreachable: the call timeout plus scheduling slack. */
  protected abstract Duration failureBound();

  /** Prints a measured figure; override to collect them elsewhere. */
  protected void report(String figure) {
    System.out.println("[" + getClass().getSimpleName() + "] " + figure);
  }

  @BeforeEach
  void createFilter() {
    pool = Executors.newFixedThreadPool(THREADS + 4);
    filter = create("kf" + NAMES.incrementAndGet() + "-" + System.nanoTime(), LARGE, FALSE_PROBABILITY);
  }

  @AfterEach
  void stopPool() {
    pool.shutdownNow();
  }

  @Test
  void addedIds_areAlwaysContained_onEveryNode() {
    List<String> ids = ids("present-", LARGE);
    addInChunks(filter, ids);
    filter.add("single");

    assertThat(filter.mightContain("single")).isTrue();
    assertThat(notContained(filter, ids)).as("false negatives").isEmpty();
    assertThat(notContained(peer(filter), every(10, ids))).as("false negatives on another node").isEmpty();
  }

  @Test
  void neverAddedIds_readAbsent_withinTheFalseProbability() {
    List<String> probes = ids("absent-", LARGE);
    assertThat(contained(filter, probes.subList(0, CHUNK))).as("hits in an empty filter").isZero();

    addInChunks(filter, ids("present-", LARGE));
    long falsePositives = contained(filter, probes);
    double rate = falsePositives / (double) LARGE;
    report(String.format("false-positive rate %.4f (%d of %d never-added ids, %d ids added, configured %.2f)",
        rate, falsePositives, LARGE, LARGE, FALSE_PROBABILITY));
    assertThat(rate).isLessThanOrEqualTo(FALSE_PROBABILITY * FALSE_PROBABILITY_TOLERANCE);
  }

  @Test
  void addAll_addsEveryId_andAnEmptyCollectionChangesNothing() {
    filter.addAll(List.of());
    assertThat(filter.mightContain("a")).isFalse();
    filter.addAll(List.of("a", "b", "c"));
    assertThat(notContained(filter, List.of("a", "b", "c"))).isEmpty();
    assertThat(notContained(peer(filter), List.of("a", "b", "c"))).isEmpty();
  }

  @Test
  void rebuild_dropsIdsNotInTheNewSet_andKeepsTheOthers() {
    List<String> kept = ids("kept-", CHUNK);
    List<String> dropped = ids("dropped-", CHUNK);
    List<String> fresh = ids("fresh-", CHUNK);
    filter.addAll(kept);
    filter.addAll(dropped);

    filter.rebuild(concat(kept, fresh));

    for (KeyFilter node : List.of(filter, peer(filter))) {
      assertThat(notContained(node, kept)).as("kept ids").isEmpty();
      assertThat(notContained(node, fresh)).as("ids only in the new set").isEmpty();
      assertThat(contained(node, dropped)).as("dropped ids still read as present").isLessThanOrEqualTo(5);
    }
    filter.rebuild(List.of());
    assertThat(contained(peer(filter), kept)).as("present after an empty rebuild").isLessThanOrEqualTo(5);
  }

  @Test
  void rebuild_ofALargeSet_isComplete() {
    List<String> ids = ids("large-", LARGE);
    filter.add("not-in-the-source");
    long start = System.nanoTime();
    filter.rebuild(lazily(LARGE, i -> "large-" + i));
    long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
    report("rebuild of " + LARGE + " ids took " + millis + " ms");

    assertThat(notContained(filter, ids)).as("false negatives after the rebuild").isEmpty();
    assertThat(filter.mightContain("not-in-the-source")).isFalse();
  }

  @Test
  void rebuild_isAtomic_forReadersOnEveryNode() throws Exception {
    filter.add("stable");
    KeyFilter other = peer(filter);
    AtomicBoolean stop = new AtomicBoolean();
    AtomicLong reads = new AtomicLong();
    Queue<String> failures = new ConcurrentLinkedQueue<>();
    List<Future<?>> readers = new ArrayList<>();
    for (KeyFilter node : List.of(filter, other, filter, other)) {
      readers.add(pool.submit(() -> {
        while (!stop.get()) {
          try {
            if (!node.mightContain("stable")) {
              failures.add("read absent on " + node.name());
            }
          } catch (RuntimeException e) {
            failures.add(e + (e.getCause() != null ? ", caused by " + e.getCause() : ""));
          }
          reads.incrementAndGet();
        }
      }));
    }
    try {
      for (int round = 0; round < 50; round++) {
        long before = reads.get();
        (round % 2 == 0 ? filter : other).rebuild(List.of("stable", "round-" + round));
        await().pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(1)).atMost(Duration.ofSeconds(10))
            .until(() -> reads.get() >= before + readers.size());
      }
    } finally {
      stop.set(true);
    }
    for (Future<?> r : readers) {
      r.get(30, TimeUnit.SECONDS);
    }
    assertThat(failures).as("reads of an id present before and after every rebuild").isEmpty();
    assertThat(filter.mightContain("round-0")).isFalse();
    assertThat(filter.mightContain("round-49")).isTrue();
  }

  @Test
  void idsAdded_whileARebuildRuns_surviveIt_onEveryNode() throws Exception {
    CountDownLatch halfway = new CountDownLatch(1);
    CountDownLatch added = new CountDownLatch(1);
    List<String> source = ids("source-", 2 * CHUNK);
    Iterable<String> ids = pausing(source, CHUNK, () -> {
      halfway.countDown();
      awaitLatch(added);
    });
    Future<?> rebuild = pool.submit(() -> filter.rebuild(ids));
    assertThat(halfway.await(30, TimeUnit.SECONDS)).isTrue();

    KeyFilter other = peer(filter);
    filter.add("during-here");
    other.addAll(List.of("during-there", "during-there-too"));
    assertThat(other.mightContain("during-here")).as("added before the switch").isTrue();
    added.countDown();
    rebuild.get(60, TimeUnit.SECONDS);

    for (KeyFilter node : List.of(filter, other)) {
      assertThat(notContained(node, source)).isEmpty();
      assertThat(notContained(node, List.of("during-here", "during-there", "during-there-too"))).isEmpty();
    }
  }

  @Test
  void concurrentAdds_fromSeveralNodes_areAllContained() throws Exception {
    KeyFilter other = peer(filter);
    CountDownLatch go = new CountDownLatch(1);
    List<Future<?>> writers = new ArrayList<>();
    for (int t = 0; t < 8; t++) {
      KeyFilter node = t % 2 == 0 ? filter : other;
      List<String> mine = ids("writer" + t + "-", 300);
      writers.add(pool.submit(() -> {
        awaitLatch(go);
        mine.forEach(node::add);
      }));
    }
    go.countDown();
    for (Future<?> w : writers) {
      w.get(60, TimeUnit.SECONDS);
    }
    for (int t = 0; t < 8; t++) {
      assertThat(notContained(filter, ids("writer" + t + "-", 300))).isEmpty();
      assertThat(notContained(other, ids("writer" + t + "-", 300))).isEmpty();
    }
  }

  @Test
  void concurrentRebuilds_onTwoNodes_leaveOneCompleteSet() throws Exception {
    KeyFilter other = peer(filter);
    for (int round = 0; round < 5; round++) {
      String r = "r" + round + "-";
      List<String> common = ids(r + "common-", 300);
      List<String> onlyA = ids(r + "a-", 300);
      List<String> onlyB = ids(r + "b-", 300);
      List<String> inserted = ids(r + "inserted-", 50);
      // Writers follow the documented protocol: add, insert at the source, add again; rebuilds read the source
      // inside their iterator.
      Queue<String> source = new ConcurrentLinkedQueue<>(common);
      CountDownLatch go = new CountDownLatch(1);
      Future<?> a = pool.submit(() -> {
        awaitLatch(go);
        filter.rebuild(() -> concat(onlyA, source).iterator());
      });
      Future<?> b = pool.submit(() -> {
        awaitLatch(go);
        other.rebuild(() -> concat(onlyB, source).iterator());
      });
      Future<?> writer = pool.submit(() -> {
        awaitLatch(go);
        for (String id : inserted) {
          other.add(id);
          source.add(id);
          other.add(id);
        }
      });
      go.countDown();
      a.get(60, TimeUnit.SECONDS);
      b.get(60, TimeUnit.SECONDS);
      writer.get(60, TimeUnit.SECONDS);

      for (KeyFilter node : List.of(filter, other)) {
        assertThat(notContained(node, common)).as("round %d: common ids", round).isEmpty();
        assertThat(notContained(node, inserted)).as("round %d: ids inserted during both rebuilds", round).isEmpty();
        boolean aWon = notContained(node, onlyA).isEmpty();
        boolean bWon = notContained(node, onlyB).isEmpty();
        assertThat(aWon ^ bWon).as("round %d: exactly one rebuild's set is in service", round).isTrue();
        assertThat(contained(node, aWon ? onlyB : onlyA)).as("round %d: the other set", round)
            .isLessThanOrEqualTo(5);
      }
    }
  }

  @Test
  @SuppressWarnings("NullAway") // nulls on purpose
  void invalidIds_areRejected_withAClearMessage_andChangeNothing() {
    filter.add("kept");
    assertThatThrownBy(() -> filter.mightContain(null)).isInstanceOf(NullPointerException.class)
        .hasMessageContaining("must not be null");
    assertThatThrownBy(() -> filter.mightContain("")).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("must not be empty");
    assertThatThrownBy(() -> filter.add(null)).isInstanceOf(NullPointerException.class)
        .hasMessageContaining("must not be null");
    assertThatThrownBy(() -> filter.add("")).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("must not be empty");
    assertThatThrownBy(() -> filter.addAll(null)).isInstanceOf(NullPointerException.class)
        .hasMessageContaining("must not be null");
    assertThatThrownBy(() -> filter.addAll(Arrays.asList("x0", null))).isInstanceOf(NullPointerException.class)
        .hasMessageContaining("index 1");
    assertThatThrownBy(() -> filter.addAll(List.of("y0", ""))).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("index 1").hasMessageContaining("must not be empty");
    assertThatThrownBy(() -> filter.rebuild(null)).isInstanceOf(NullPointerException.class)
        .hasMessageContaining("must not be null");
    assertThatThrownBy(() -> filter.rebuild(concat(ids("z", CHUNK), List.of(""))))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("must not be empty");
    assertThatThrownBy(() -> filter.rebuild(Arrays.asList("z0", null))).isInstanceOf(NullPointerException.class)
        .hasMessageContaining("must not be null");

    assertThat(filter.mightContain("kept")).as("the contents before the failed rebuilds").isTrue();
    assertThat(contained(filter, List.of("x0", "y0", "z0", "z1"))).as("ids of rejected calls").isZero();
  }

  @Test
  void idsOfAnyCharacter_areValid() {
    List<String> odd = List.of(" ", "  ", "\t", "a b", "line\r\nbreak", "*?[]\\", "{tag}", "ns:cache:1:id",
        "ключ", "\uD83D\uDE00", "\u0000");
    filter.addAll(odd);
    assertThat(notContained(filter, odd)).isEmpty();
    filter.rebuild(odd);
    assertThat(notContained(peer(filter), odd)).isEmpty();
    assertThat(filter.mightContain("   ")).isFalse();
  }

  @Test
  void name_isNotBlank() {
    assertThat(filter.name()).isNotBlank();
  }

  @Test
  void unreachableStore_failsOpen_withinTheBound_andRecovers() {
    filter.add("present");
    makeUnreachable(filter);
    try {
      for (String id : List.of("present", "never-added")) {
        long start = System.nanoTime();
        assertThatThrownBy(() -> filter.mightContain(id)).isInstanceOf(TierUnavailableException.class)
            .hasMessageContaining(filter.name());
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThanOrEqualTo(failureBound());
      }
      long start = System.nanoTime();
      assertThatThrownBy(() -> filter.add("during-outage")).isInstanceOf(TierUnavailableException.class);
      assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThanOrEqualTo(failureBound());
      assertThatThrownBy(() -> filter.rebuild(List.of("new"))).isInstanceOf(TierUnavailableException.class);
    } finally {
      makeReachable(filter);
    }
    await().atMost(Duration.ofSeconds(30)).ignoreException(TierUnavailableException.class)
        .untilAsserted(() -> assertThat(filter.mightContain("present")).isTrue());
    assertThat(filter.mightContain("never-added")).isFalse();
    assertThat(filter.mightContain("new")).as("the rebuild that failed").isFalse();
  }

  @Test
  void storeLost_duringARebuild_keepsThePreviousContents() {
    List<String> before = ids("before-", CHUNK);
    filter.addAll(before);
    Iterable<String> ids = pausing(ids("after-", 4 * CHUNK), 2 * CHUNK, () -> makeUnreachable(filter));
    try {
      assertThatThrownBy(() -> filter.rebuild(ids)).isInstanceOf(TierUnavailableException.class);
    } finally {
      makeReachable(filter);
    }
    await().atMost(Duration.ofSeconds(30)).ignoreException(TierUnavailableException.class)
        .untilAsserted(() -> assertThat(filter.mightContain("before-0")).isTrue());
    assertThat(notContained(filter, before)).isEmpty();
    assertThat(contained(filter, ids("after-", CHUNK))).isLessThanOrEqualTo(5);
  }

  // ---- helpers

  /** {@code prefix + i} for i in [0, count). */
  protected static List<String> ids(String prefix, int count) {
    List<String> out = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      out.add(prefix + i);
    }
    return out;
  }

  protected static List<String> concat(Collection<String> a, Collection<String> b) {
    List<String> out = new ArrayList<>(a);
    out.addAll(b);
    return out;
  }

  private static List<String> every(int step, List<String> ids) {
    List<String> out = new ArrayList<>();
    for (int i = 0; i < ids.size(); i += step) {
      out.add(ids.get(i));
    }
    return out;
  }

  /** Adds {@code ids} in chunks through {@link KeyFilter#addAll}. */
  protected static void addInChunks(KeyFilter f, List<String> ids) {
    for (int i = 0; i < ids.size(); i += CHUNK) {
      f.addAll(ids.subList(i, Math.min(ids.size(), i + CHUNK)));
    }
  }

  /** The ids that {@code f} reads as absent, asked from several threads. */
  protected List<String> notContained(KeyFilter f, List<String> ids) {
    Queue<String> absent = new ConcurrentLinkedQueue<>();
    forEachInParallel(ids, id -> {
      if (!f.mightContain(id)) {
        absent.add(id);
      }
    });
    return new ArrayList<>(absent);
  }

  /** How many of {@code ids} {@code f} reads as possibly present. */
  protected long contained(KeyFilter f, List<String> ids) {
    return (long) ids.size() - notContained(f, ids).size();
  }

  private void forEachInParallel(List<String> ids, Consumer<String> action) {
    int slice = Math.max(1, (ids.size() + THREADS - 1) / THREADS);
    List<Future<?>> parts = new ArrayList<>();
    for (int from = 0; from < ids.size(); from += slice) {
      List<String> part = ids.subList(from, Math.min(ids.size(), from + slice));
      parts.add(pool.submit(() -> part.forEach(action)));
    }
    for (Future<?> p : parts) {
      try {
        p.get(5, TimeUnit.MINUTES);
      } catch (Exception e) {
        throw new AssertionError("a lookup failed", e);
      }
    }
  }

  /** {@code count} ids made on demand, as a source cursor would give them. */
  protected static Iterable<String> lazily(int count, IntFunction<String> id) {
    return () -> new Iterator<>() {
      private int next;

      @Override
      public boolean hasNext() {
        return next < count;
      }

      @Override
      public String next() {
        if (next >= count) {
          throw new NoSuchElementException();
        }
        return id.apply(next++);
      }
    };
  }

  /** Iterates {@code ids}, running {@code pause} on the iterating thread before the id at {@code at}. */
  protected static Iterable<String> pausing(List<String> ids, int at, Runnable pause) {
    return lazily(ids.size(), i -> {
      if (i == at) {
        pause.run();
      }
      return ids.get(i);
    });
  }

  private static void awaitLatch(CountDownLatch latch) {
    try {
      if (!latch.await(60, TimeUnit.SECONDS)) {
        throw new AssertionError("latch not released");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted", e);
    }
  }
}
