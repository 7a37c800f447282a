package io.lamina.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.lamina.spi.Version;
import java.time.Duration;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The compact entry only ever errs towards caution: freshness ends no later than asked (at most one unit
 * earlier), a load counts as no shorter than it took (at most one unit longer), and store time and deadline are
 * exact.
 */
class ValueEntryTest {

  private static final Generation GENERATION = new Generation(0);

  private static ValueEntry entry(long storedAt, long freshUntil, long deadline, long load, long unit) {
    return ValueEntry.of("v", Version.NONE, GENERATION, ValueEntry.NO_SOURCE_VERSION, storedAt, freshUntil,
        deadline, load, unit);
  }

  @Test
  void timeUnit_isTheSmallestPowerOfTenHoldingTheMaxAgeIn30Bits() {
    assertThat(ValueEntry.timeUnitNanos(Duration.ofMillis(500).toNanos())).isEqualTo(1);
    assertThat(ValueEntry.timeUnitNanos(Duration.ofMinutes(10).toNanos())).isEqualTo(1_000);
    assertThat(ValueEntry.timeUnitNanos(Duration.ofHours(1).toNanos())).isEqualTo(10_000);
    assertThat(ValueEntry.timeUnitNanos(Duration.ofDays(30).toNanos())).isEqualTo(10_000_000);
    assertThat(ValueEntry.timeUnitNanos(Long.MAX_VALUE)).isEqualTo(1_000_000_000);
  }

  @Test
  void freshness_isNeverLaterAndAtMostOneUnitEarlier_loadNeverShorterAndAtMostOneUnitLonger() {
    SplittableRandom random = new SplittableRandom(15);
    for (long maxAge : new long[] {Duration.ofSeconds(1).toNanos(), Duration.ofMinutes(10).toNanos(),
        Duration.ofDays(3).toNanos()}) {
      long unit = ValueEntry.timeUnitNanos(maxAge);
      for (int i = 0; i < 100_000; i++) {
        long storedAt = random.nextLong(); // ticker values may be anywhere, negative included
        long fresh = random.nextLong(maxAge + 1);
        long load = random.nextLong(maxAge);
        ValueEntry e = entry(storedAt, storedAt + fresh, storedAt + fresh + 7, load, unit);
        long freshUntil = e.freshUntilNanos(unit);
        assertThat(storedAt + fresh - freshUntil).isBetween(0L, unit - 1);
        assertThat(e.loadNanos(unit) - load).isBetween(0L, unit - 1);
        assertThat(e.storedAtNanos()).isEqualTo(storedAt);
        assertThat(e.deadlineNanos()).isEqualTo(storedAt + fresh + 7);
      }
    }
  }

  @Test
  void wholeMilliseconds_areExact() {
    long unit = ValueEntry.timeUnitNanos(Duration.ofMinutes(10).toNanos());
    ValueEntry e = entry(123_456_789, 123_456_789 + Duration.ofSeconds(30).toNanos(), Long.MAX_VALUE,
        Duration.ofMillis(42).toNanos(), unit);
    assertThat(e.freshUntilNanos(unit)).isEqualTo(123_456_789 + Duration.ofSeconds(30).toNanos());
    assertThat(e.loadNanos(unit)).isEqualTo(Duration.ofMillis(42).toNanos());
  }

  @Test
  void freshnessPastTheIntRange_saturatesTowardsStale() {
    long unit = 1;
    ValueEntry e = entry(0, Duration.ofDays(1).toNanos(), Duration.ofDays(2).toNanos(), 0, unit);
    assertThat(e.freshUntilNanos(unit)).isEqualTo(Integer.MAX_VALUE).isLessThan(Duration.ofDays(1).toNanos());
  }

  @Test
  void freshnessEndingBeforeTheStore_staysThatEarly() {
    long unit = 1_000;
    ValueEntry e = entry(10_000_000, 10_000_000 - 1_500, 10_000_000 - 1_500, 0, unit);
    assertThat(e.freshUntilNanos(unit)).isEqualTo(10_000_000 - 2_000); // rounded down, away from the store
  }

  @Test
  void sourceVersion_isKeptOnlyWhenKnown() {
    ValueEntry plain = entry(0, 1, 1, 0, 1);
    ValueEntry versioned = ValueEntry.of("v", Version.NONE, GENERATION, 42, 0, 1, 1, 0, 1);
    assertThat(plain.sourceVersion()).isEqualTo(ValueEntry.NO_SOURCE_VERSION);
    assertThat(versioned.sourceVersion()).isEqualTo(42);
    assertThat(plain.getClass()).isEqualTo(ValueEntry.class);
  }

  @Test
  void generations_areNeverEqualToAnEarlierOne() {
    Generation g = GENERATION;
    Generation next = g.next();
    assertThat(next).isNotSameAs(g);
    assertThat(next.next()).isNotSameAs(g).isNotSameAs(next);
  }
}
