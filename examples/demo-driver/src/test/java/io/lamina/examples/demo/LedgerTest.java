package io.lamina.examples.demo;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class LedgerTest {

  private final Ledger ledger = new Ledger();

  @Test
  void aReadOfAnOlderVersion_afterTheWriteCompleted_isStale_agedFromThatWrite() {
    ledger.completed(7, 3, 1_000);
    Ledger.Verdict v = ledger.check(7, 2, 5_000);
    assertThat(v.stale()).isTrue();
    assertThat(v.ageNanos()).isEqualTo(4_000);
  }

  @Test
  void aReadThatBeganBeforeTheWriteCompleted_isNotStale() {
    ledger.completed(7, 3, 5_000);
    assertThat(ledger.check(7, 2, 4_999).stale()).isFalse();
  }

  @Test
  void aReadOfTheWrittenVersionOrNewer_isNotStale() {
    ledger.completed(7, 3, 1_000);
    assertThat(ledger.check(7, 3, 2_000).stale()).isFalse();
    assertThat(ledger.check(7, 4, 2_000).stale()).isFalse();
    assertThat(ledger.check(8, 1, 2_000).stale()).as("another product").isFalse();
  }

  @Test
  void theAge_isCountedFromTheEarliestNewerWrite() {
    ledger.completed(7, 3, 1_000);
    ledger.completed(7, 4, 3_000);
    assertThat(ledger.check(7, 2, 10_000).ageNanos()).isEqualTo(9_000);
    assertThat(ledger.check(7, 3, 10_000).ageNanos()).isEqualTo(7_000);
  }
}
