package io.lamina.facade;

import static org.assertj.core.api.Assertions.assertThat;

import io.lamina.CacheLoader;
import io.lamina.TieredCache;
import io.lamina.TieredCacheBuilder;
import io.lamina.TieredCacheConfig;
import io.lamina.ValueCodecs;
import io.lamina.testkit.memory.InMemoryLocalTier;
import io.lamina.testkit.memory.InMemoryRemoteTier;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;

/**
 * The stale-set race, forced: a load reads the source's old value and is held on a latch while a write or
 * invalidation lands; then the load is released. Whatever the interleaving, the old value must survive nowhere
 * — not in this node's L1, not in L2 — and callers that arrive after the write must not join the overtaken load.
 * Each scenario runs 10,000 times (system property {@code lamina.race.iterations}), on the sync and the async path, local-only and with L2.
 */
class StaleSetRaceTest {

  static final int ITERATIONS = Integer.getInteger("lamina.race.iterations", 10_000);

  /** What lands while the load is held. */
  enum Interference { INVALIDATE, VERSIONED_PUT, INVALIDATE_ALL, INVALIDATE_THEN_LATE_CALLER }

  private static ExecutorService pool;

  @BeforeAll
  static void startPool() {
    pool = Executors.newFixedThreadPool(2);
  }

  @AfterAll
  static void stopPool() {
    pool.shutdownNow();
  }

  /** A source row: value and its version. */
  record Row(String value, long version) {}

  private static final class Source {
    final Map<String, Row> rows = new ConcurrentHashMap<>();
    final AtomicLong versions = new AtomicLong();

    String write(String key, String value) {
      rows.put(key, new Row(value, versions.incrementAndGet()));
      return value;
    }

    String read(String key) {
      Row r = rows.get(key);
      return r == null ? null : r.value + "@" + r.version;
    }
  }

  private static TieredCache<String, String> cache(boolean withRemote, InMemoryRemoteTier remote) {
    TieredCacheBuilder<String, String> b = TieredCache.<String, String>newBuilder("race")
        .config(TieredCacheConfig.custom().loadTimeout(Duration.ofSeconds(30)).build())
        .local(InMemoryLocalTier.provider())
        .versionOf(v -> Long.parseLong(v.substring(v.indexOf('@') + 1)));
    if (withRemote) {
      b.remote(remote).valueCodec(ValueCodecs.utf8());
    }
    return b.build();
  }

  @ParameterizedTest(name = "{0}, remote={1}, async={2}")
  @org.junit.jupiter.params.provider.MethodSource("scenarios")
  void slowLoad_overtakenByAWrite_leavesNoStaleValueAnywhere(Interference interference, boolean withRemote,
      boolean async) throws Exception {
    InMemoryRemoteTier remote = new InMemoryRemoteTier();
    Source source = new Source();
    TieredCache<String, String> cache = cache(withRemote, remote);
    TieredCache<String, String> otherNode = withRemote ? cache(true, remote) : null;
    int staleInL1 = 0;
    int staleInL2 = 0;
    int staleForLateCaller = 0;
    try {
      for (int i = 0; i < ITERATIONS; i++) {
        String key = "k" + i;
        source.write(key, "old");
        String oldValue = source.read(key);
        CountDownLatch entered = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        AtomicBoolean first = new AtomicBoolean(true);
        CacheLoader<String, String> loader = k -> {
          String v = source.read(k);
          if (first.compareAndSet(true, false)) {
            entered.countDown();
            release.await();
          }
          return v;
        };
        Future<String> slow = async
            ? cache.getAsync(key, loader)
            : pool.submit(() -> cache.get(key, loader));
        assertThat(entered.await(10, TimeUnit.SECONDS)).as("loader entered").isTrue();

        source.write(key, "new");
        String newValue = source.read(key);
        switch (interference) {
          case INVALIDATE, INVALIDATE_THEN_LATE_CALLER -> cache.invalidate(key);
          case VERSIONED_PUT -> cache.put(key, newValue);
          case INVALIDATE_ALL -> cache.invalidateAll();
        }
        if (interference == Interference.INVALIDATE_THEN_LATE_CALLER) {
          Future<String> late = async ? cache.getAsync(key, loader) : pool.submit(() -> cache.get(key, loader));
          String seen = late.get(10, TimeUnit.SECONDS); // joining the held load would block here and fail
          if (!newValue.equals(seen)) {
            staleForLateCaller++;
          }
        }
        release.countDown();
        assertThat(slow.get(10, TimeUnit.SECONDS)).isEqualTo(oldValue); // it began before the write

        String inL1 = cache.getIfPresent(key);
        if (oldValue.equals(inL1)) {
          staleInL1++;
        }
        if (otherNode != null && oldValue.equals(otherNode.getIfPresent(key))) {
          staleInL2++; // the other node has an empty L1 for this key: it reads L2
        }
        assertThat(cache.get(key, source::read)).isEqualTo(newValue);
      }
    } finally {
      cache.close();
      if (otherNode != null) {
        otherNode.close();
      }
    }
    System.out.printf("stale-set race %s remote=%s async=%s: %d iterations, stale in L1 %d, in L2 %d,"
        + " late callers served stale %d%n", interference, withRemote, async, ITERATIONS, staleInL1, staleInL2,
        staleForLateCaller);
    assertThat(staleInL1).as("stale values left in L1").isZero();
    assertThat(staleInL2).as("stale values left in L2").isZero();
    assertThat(staleForLateCaller).as("late callers that joined the overtaken load").isZero();
  }

  static Stream<Arguments> scenarios() {
    List<Arguments> all = new ArrayList<>();
    for (Interference i : Interference.values()) {
      for (boolean remote : new boolean[] {false, true}) {
        for (boolean async : new boolean[] {false, true}) {
          all.add(Arguments.of(i, remote, async));
        }
      }
    }
    return all.stream();
  }
}
