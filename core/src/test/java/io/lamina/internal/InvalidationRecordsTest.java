package io.lamina.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.lamina.spi.Version;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class InvalidationRecordsTest {

  private final AtomicLong now = new AtomicLong(1_000);
  private final InvalidationRecords<String> records = new InvalidationRecords<>(now::get, 100, 3);

  @Test
  void invalidationAfterTheLoadBegan_conflicts() {
    long reservedAt = now.get();
    now.addAndGet(5);
    records.record("k", new Version(7, 3));
    assertThat(records.conflicts("k", new Version(7, 9), reservedAt)).isTrue();
  }

  @Test
  void earlierInvalidation_conflictsOnlyIfItsVersionMayBeNewer() {
    records.record("k", new Version(7, 3));
    now.addAndGet(5);
    long reservedAt = now.get();
    assertThat(records.conflicts("k", new Version(7, 4), reservedAt)).isFalse();
    assertThat(records.conflicts("k", new Version(7, 3), reservedAt)).isFalse();
    assertThat(records.conflicts("k", new Version(7, 2), reservedAt)).isTrue();
    assertThat(records.conflicts("k", new Version(8, 50), reservedAt)).as("another incarnation").isTrue();
    assertThat(records.conflicts("other", new Version(7, 2), reservedAt)).isFalse();
  }

  @Test
  void aLaterInvalidationWithoutVersion_keepsTheKnownVersion() {
    records.record("k", new Version(7, 3));
    records.record("k", Version.NONE); // e.g. a write whose L2 part failed
    now.addAndGet(5);
    long reservedAt = now.get();
    assertThat(records.conflicts("k", new Version(7, 2), reservedAt))
        .as("a load that read a version older than the one recorded must not store").isTrue();
  }

  @Test
  void recordsExpireAfterRetention() {
    records.record("k", new Version(7, 3));
    now.addAndGet(101);
    assertThat(records.conflicts("k", new Version(7, 1), now.get())).isFalse();
  }

  @Test
  void overflowBeyondWhatAgeCanPrune_dropsAllAndTellsTheCaller() {
    assertThat(records.record("a", Version.NONE)).isTrue();
    assertThat(records.record("b", Version.NONE)).isTrue();
    assertThat(records.record("c", Version.NONE)).isTrue();
    assertThat(records.record("d", Version.NONE)).isFalse();
    assertThat(records.size()).isZero();
  }

  @Test
  void overflowOfOldRecords_isPrunedByAge() {
    records.record("a", Version.NONE);
    records.record("b", Version.NONE);
    records.record("c", Version.NONE);
    now.addAndGet(200);
    assertThat(records.record("d", Version.NONE)).isTrue();
    assertThat(records.size()).isEqualTo(1);
  }
}
