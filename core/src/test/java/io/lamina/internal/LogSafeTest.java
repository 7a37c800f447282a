package io.lamina.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Ids from outside reach the log short, escaped, and at a bounded rate. */
class LogSafeTest {

  @Test
  void aHugeIdWithLineBreaks_isTruncatedAndEscaped() {
    String forged = "x\r\nWARNING: forged line\n" + "y".repeat(1 << 20);
    String safe = LogSafe.quote(forged);
    assertThat(safe).doesNotContain("\n").doesNotContain("\r").contains("\\u000d\\u000a")
        .endsWith("... (" + forged.length() + " chars)");
    assertThat(safe.length()).isLessThan(LogSafe.MAX_CHARS + 64);
    assertThat(LogSafe.quote("k1")).isEqualTo("'k1'");
  }

  @Test
  void theGate_letsOneLinePerInterval_andCountsTheRest() {
    LogSafe.Gate gate = new LogSafe.Gate(1_000);
    assertThat(gate.tryPass(0)).isZero();
    for (int i = 1; i < 100; i++) {
      assertThat(gate.tryPass(i)).isEqualTo(-1);
    }
    assertThat(gate.tryPass(1_000)).as("the next one reports what was dropped").isEqualTo(99);
    assertThat(gate.tryPass(1_001)).isEqualTo(-1);
  }
}
