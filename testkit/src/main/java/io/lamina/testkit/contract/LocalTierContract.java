package io.lamina.testkit.contract;

import static org.assertj.core.api.Assertions.assertThat;

import io.lamina.spi.LocalEntry;
import io.lamina.spi.LocalTier;
import io.lamina.testkit.ManualTicker;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What every {@link LocalTier} must do for the facade: identity-based atomic operations, per-entry deadlines on
 * the given ticker, and a size bound. Subclass it and create the tier under test.
 */
public abstract class LocalTierContract {

  /** An entry with a fixed deadline; equality is identity, as the facade's entries. */
  protected static final class Entry implements LocalEntry {
    private final long deadline;

    public Entry(long deadline) {
      this.deadline = deadline;
    }

    @Override
    public long deadlineNanos() {
      return deadline;
    }
  }

  protected final ManualTicker ticker = new ManualTicker();
  protected LocalTier<String> tier;

  /** Creates the tier under test with the given bound, reading {@code ticker}; maintenance on the caller's thread. */
  protected abstract LocalTier<String> create(long maximumSize, ManualTicker ticker);

  /** Runs pending maintenance (eviction) so the size bound is visible; a no-op for tiers that evict inline. */
  protected void maintain(LocalTier<String> tier) {}

  @BeforeEach
  void setUp() {
    tier = create(100, ticker);
  }

  private Entry live() {
    return new Entry(ticker.read() + Duration.ofMinutes(1).toNanos());
  }

  @Test
  void putIfAbsent_storesOnce_andReturnsThePresentEntry() {
    Entry first = live();
    Entry second = live();
    assertThat(tier.putIfAbsent("k", first)).isNull();
    assertThat(tier.putIfAbsent("k", second)).isSameAs(first);
    assertThat(tier.getIfPresent("k")).isSameAs(first);
  }

  @Test
  void replace_comparesByIdentity() {
    Entry first = live();
    tier.putIfAbsent("k", first);
    assertThat(tier.replace("k", live(), live())).isFalse();
    Entry next = live();
    assertThat(tier.replace("k", first, next)).isTrue();
    assertThat(tier.getIfPresent("k")).isSameAs(next);
  }

  @Test
  void remove_onlyTheExpectedEntry() {
    Entry first = live();
    tier.putIfAbsent("k", first);
    assertThat(tier.remove("k", live())).isFalse();
    assertThat(tier.getIfPresent("k")).isSameAs(first);
    assertThat(tier.remove("k", first)).isTrue();
    assertThat(tier.getIfPresent("k")).isNull();
  }

  @Test
  void entry_expiresAtItsDeadline() {
    tier.putIfAbsent("k", new Entry(ticker.read() + Duration.ofSeconds(10).toNanos()));
    ticker.advance(Duration.ofSeconds(9));
    assertThat(tier.getIfPresent("k")).isNotNull();
    ticker.advance(Duration.ofSeconds(2));
    assertThat(tier.getIfPresent("k")).isNull();
  }

  @Test
  void replacedEntry_takesTheNewDeadline() {
    Entry shortLived = new Entry(ticker.read() + Duration.ofSeconds(1).toNanos());
    tier.putIfAbsent("k", shortLived);
    tier.replace("k", shortLived, new Entry(ticker.read() + Duration.ofSeconds(30).toNanos()));
    ticker.advance(Duration.ofSeconds(5));
    assertThat(tier.getIfPresent("k")).isNotNull();
  }

  @Test
  void invalidate_andInvalidateAll_remove() {
    tier.putIfAbsent("a", live());
    tier.putIfAbsent("b", live());
    tier.invalidate("a");
    assertThat(tier.getIfPresent("a")).isNull();
    assertThat(tier.getIfPresent("b")).isNotNull();
    tier.invalidateAll();
    assertThat(tier.getIfPresent("b")).isNull();
  }

  @Test
  void sizeBound_isKept_andEvictionsCounted() {
    LocalTier<String> small = create(10, ticker);
    for (int i = 0; i < 100; i++) {
      small.putIfAbsent("k" + i, live());
    }
    maintain(small);
    assertThat(small.estimatedSize()).isLessThanOrEqualTo(10);
    assertThat(small.evictionCount()).isGreaterThanOrEqualTo(90);
  }

  @Test
  void concurrentReplace_exactlyOneWinnerPerRound() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      for (int round = 0; round < 2_000; round++) {
        Entry start = live();
        tier.invalidate("k");
        tier.putIfAbsent("k", start);
        CountDownLatch go = new CountDownLatch(1);
        AtomicInteger winners = new AtomicInteger();
        List<Future<?>> futures = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
          futures.add(pool.submit(() -> {
            go.await();
            if (tier.replace("k", start, live())) {
              winners.incrementAndGet();
            }
            return null;
          }));
        }
        go.countDown();
        for (Future<?> f : futures) {
          f.get(10, TimeUnit.SECONDS);
        }
        assertThat(winners.get()).as("round %d", round).isEqualTo(1);
      }
    } finally {
      pool.shutdownNow();
    }
  }
}
