package io.lamina.facade;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.lamina.CacheWriter;
import io.lamina.TieredCache;
import io.lamina.TieredCacheConfig;
import io.lamina.TieredCacheListener;
import io.lamina.WriteBehindConfig;
import io.lamina.WriteBehindQueueFullException;
import io.lamina.WriteStrategy;
import io.lamina.testkit.memory.InMemoryLocalTier;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The write-behind queue through the facade: coalescing, ordering, full queue, retries, close, read-your-writes. */
class WriteBehindTest {

  /** A source that records every batch it is given, and can be told to fail or to block. */
  static final class Source implements CacheWriter<String, String> {
    final Map<String, String> rows = new ConcurrentHashMap<>();
    final List<Map<String, String>> batches = new CopyOnWriteArrayList<>();
    final AtomicInteger failuresLeft = new AtomicInteger();
    final AtomicInteger errorsLeft = new AtomicInteger();
    volatile CountDownLatch gate = new CountDownLatch(0);
    volatile CountDownLatch entered = new CountDownLatch(1);

    @Override
    public void write(String key, String value) {
      throw new AssertionError("write-behind must use writeAll");
    }

    @Override
    public void writeAll(Map<String, String> values) throws Exception {
      entered.countDown();
      gate.await();
      batches.add(Map.copyOf(values));
      if (errorsLeft.getAndDecrement() > 0) {
        throw new NoClassDefFoundError("a writer's missing driver class");
      }
      if (failuresLeft.getAndDecrement() > 0) {
        throw new IOException("source down");
      }
      rows.putAll(values);
    }
  }

  private final Source source = new Source();
  private final List<Object> failedKeys = new CopyOnWriteArrayList<>();
  private final List<TieredCache<?, ?>> opened = new ArrayList<>();

  @AfterEach
  void close() {
    source.gate.countDown();
    opened.forEach(TieredCache::close);
  }

  private TieredCache<String, String> cache(WriteBehindConfig wb) {
    TieredCache<String, String> c = TieredCache.<String, String>newBuilder("wb")
        .config(TieredCacheConfig.custom().writeStrategy(WriteStrategy.WRITE_BEHIND).writeBehind(wb).build())
        .local(InMemoryLocalTier.provider())
        .writer(source)
        .loader(source.rows::get)
        .listener(new TieredCacheListener() {
          @Override
          public void onWriteBehindFailure(String cacheName, Object key, Throwable error) {
            failedKeys.add(key);
          }
        })
        .build();
    opened.add(c);
    return c;
  }

  private static WriteBehindConfig config(int capacity, int batch, int attempts) {
    return new WriteBehindConfig(capacity, batch, Duration.ofMillis(20), attempts, Duration.ofMillis(5),
        Duration.ofMillis(20), Duration.ofSeconds(10));
  }

  @Test
  void writingNode_readsItsOwnQueuedWrite_beforeTheSourceHasIt() {
    source.gate = new CountDownLatch(1);
    TieredCache<String, String> c = cache(config(100, 10, 3));
    c.put("k", "v1");
    assertThat(source.rows).doesNotContainKey("k");
    assertThat(c.get("k")).isEqualTo("v1");
    assertThat(c.getIfPresent("k")).isEqualTo("v1");
    assertThat(c.getAll(List.of("k"))).containsEntry("k", "v1");
    assertThat(c.pendingWrites()).isEqualTo(1);
    source.gate.countDown();
    await().atMost(Duration.ofSeconds(5)).until(() -> "v1".equals(source.rows.get("k")));
    await().atMost(Duration.ofSeconds(5)).until(() -> c.pendingWrites() == 0);
    assertThat(c.get("k")).isEqualTo("v1");
  }

  @Test
  void writesToOneKey_coalesce_toTheNewest() throws Exception {
    source.gate = new CountDownLatch(1);
    TieredCache<String, String> c = cache(config(100, 10, 3));
    c.put("first", "x");
    assertThat(source.entered.await(5, TimeUnit.SECONDS)).isTrue(); // the flusher holds "first" in flight
    for (int i = 0; i < 100; i++) {
      c.put("k", "v" + i);
    }
    assertThat(c.pendingWrites()).isEqualTo(2);
    source.gate.countDown();
    await().atMost(Duration.ofSeconds(5)).until(() -> c.pendingWrites() == 0);
    assertThat(source.rows).containsEntry("k", "v99");
    long writesOfK = source.batches.stream().filter(b -> b.containsKey("k")).count();
    assertThat(writesOfK).isEqualTo(1);
  }

  @Test
  void perKeyOrder_isKept_andNoOlderValueLandsLast() {
    TieredCache<String, String> c = cache(config(1000, 7, 3));
    for (int i = 0; i < 500; i++) {
      c.put("k" + (i % 13), Integer.toString(i));
    }
    await().atMost(Duration.ofSeconds(10)).until(() -> c.pendingWrites() == 0);
    for (int k = 0; k < 13; k++) {
      int last = -1;
      for (Map<String, String> batch : source.batches) {
        String v = batch.get("k" + k);
        if (v != null) {
          assertThat(Integer.parseInt(v)).as("key k%d writes in order", k).isGreaterThan(last);
          last = Integer.parseInt(v);
        }
      }
      assertThat(source.rows.get("k" + k)).isEqualTo(Integer.toString(lastWriteOf(k)));
    }
  }

  private static int lastWriteOf(int key) {
    int last = -1;
    for (int i = 0; i < 500; i++) {
      if (i % 13 == key) {
        last = i;
      }
    }
    return last;
  }

  @Test
  void fullQueue_refusesTheWrite_andTellsTheCaller() throws Exception {
    source.gate = new CountDownLatch(1);
    TieredCache<String, String> c = cache(config(3, 1, 3));
    c.put("a", "1");
    assertThat(source.entered.await(5, TimeUnit.SECONDS)).isTrue();
    c.put("b", "2");
    c.put("c", "3");
    assertThatThrownBy(() -> c.put("d", "4")).isInstanceOf(WriteBehindQueueFullException.class)
        .hasMessageContaining("full (3 keys)");
    c.put("b", "2b"); // a key already queued always fits
    assertThat(c.get("d", k -> "from-source")).as("the refused write was not applied").isEqualTo("from-source");
    source.gate.countDown();
    await().atMost(Duration.ofSeconds(5)).until(() -> c.pendingWrites() == 0);
    assertThat(source.rows).containsEntry("b", "2b").doesNotContainKey("d");
  }

  @Test
  void failingSource_isRetried_untilItRecovers() {
    source.failuresLeft.set(2);
    TieredCache<String, String> c = cache(config(100, 10, 5));
    c.put("k", "v");
    await().atMost(Duration.ofSeconds(5)).until(() -> "v".equals(source.rows.get("k")));
    assertThat(source.batches).hasSize(3);
    assertThat(c.stats().writeBehindFailed()).isZero();
    assertThat(c.stats().writeBehindWritten()).isEqualTo(1);
  }

  @Test
  void writerThrowingAnError_isRetried_andTheFlusherKeepsWorking() {
    source.errorsLeft.set(1);
    TieredCache<String, String> c = cache(config(100, 10, 5));
    c.put("k", "v");
    await().atMost(Duration.ofSeconds(5)).until(() -> "v".equals(source.rows.get("k")));
    c.put("k2", "v2");
    await().atMost(Duration.ofSeconds(5)).until(() -> "v2".equals(source.rows.get("k2")));
    assertThat(c.pendingWrites()).isZero();
    assertThat(c.stats().writeBehindWritten()).isEqualTo(2);
  }

  @Test
  void writeFailingEveryAttempt_isReported_neverDroppedSilently() {
    source.failuresLeft.set(Integer.MAX_VALUE);
    TieredCache<String, String> c = cache(config(100, 10, 3));
    c.put("k", "v");
    await().atMost(Duration.ofSeconds(5)).until(() -> failedKeys.contains("k"));
    assertThat(source.batches).hasSize(3);
    assertThat(c.stats().writeBehindFailed()).isEqualTo(1);
    assertThat(c.pendingWrites()).isZero();
  }

  @Test
  void retry_neverLandsAfterANewerWrite() throws Exception {
    source.failuresLeft.set(1);
    source.gate = new CountDownLatch(1);
    TieredCache<String, String> c = cache(config(100, 10, 5));
    c.put("k", "old");
    assertThat(source.entered.await(5, TimeUnit.SECONDS)).isTrue();
    c.put("k", "new"); // queued while "old" is in flight and about to fail
    source.gate.countDown();
    await().atMost(Duration.ofSeconds(5)).until(() -> c.pendingWrites() == 0);
    assertThat(source.rows).containsEntry("k", "new");
    List<String> writtenValues = new ArrayList<>();
    source.batches.forEach(b -> writtenValues.add(b.get("k")));
    assertThat(writtenValues).containsExactly("old", "new"); // the failed "old" was not retried after "new"
  }

  @Test
  void close_flushesEverythingQueued() {
    TieredCache<String, String> c = cache(new WriteBehindConfig(1000, 10, Duration.ofSeconds(30), 3,
        Duration.ofMillis(5), Duration.ofMillis(10), Duration.ofSeconds(10)));
    for (int i = 0; i < 100; i++) {
      c.put("k" + i, "v" + i);
    }
    c.close();
    assertThat(source.rows).hasSize(100);
    assertThat(c.pendingWrites()).isZero();
    assertThatThrownBy(() -> c.put("late", "x")).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void close_reportsWhatItCouldNotWrite() {
    source.gate = new CountDownLatch(1);
    TieredCache<String, String> c = cache(new WriteBehindConfig(1000, 1, Duration.ofMillis(1), 3,
        Duration.ofMillis(5), Duration.ofMillis(10), Duration.ofMillis(200)));
    c.put("a", "1");
    c.put("b", "2");
    c.close(); // the source never answers within the close timeout
    assertThat(failedKeys).containsExactlyInAnyOrder("a", "b"); // "a" was in flight, "b" still queued
    assertThat(Collections.frequency(failedKeys, "b")).isEqualTo(1);
  }
}
