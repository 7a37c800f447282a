package io.lamina.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The miss limiter's slots cannot be aimed at: ids colliding in {@code String.hashCode} do not share a budget. */
class MissLimiterTest {

  /** 64 ids with one {@code String.hashCode}: every mix of "Aa" and "BB" (equal hash codes) six times. */
  private static List<String> colliding() {
    List<String> ids = new ArrayList<>();
    for (int mask = 0; mask < 64; mask++) {
      StringBuilder b = new StringBuilder();
      for (int bit = 0; bit < 6; bit++) {
        b.append((mask >>> bit & 1) == 0 ? "Aa" : "BB");
      }
      ids.add(b.toString());
    }
    return ids;
  }

  @Test
  void idsCollidingInStringHashCode_doNotSpendAVictimsBudget() {
    List<String> ids = colliding();
    assertThat(ids.stream().mapToInt(String::hashCode).distinct().count()).isEqualTo(1);
    String victim = ids.get(0);
    MissLimiter limiter = new MissLimiter(20, () -> 0L, 7); // any seed: 63 of 4,096 slots taken, a 1.5 % chance to share
    for (String attacker : ids.subList(1, ids.size())) {
      for (int i = 0; i < 20; i++) {
        limiter.tryAcquire(attacker);
      }
    }
    assertThat(limiter.tryAcquire(victim)).isTrue();
  }

  @Test
  void theSeedDecidesTheSlots() {
    List<String> ids = colliding();
    Set<Long> seeded = new HashSet<>();
    for (String id : ids) {
      seeded.add(SeededHash.hash(id, 42) & 4095);
    }
    assertThat(seeded).as("64 ids with one hashCode spread over many slots").hasSizeGreaterThan(55);
    assertThat(SeededHash.hash("k", 1)).isNotEqualTo(SeededHash.hash("k", 2));
  }

  @Test
  void aKeysOwnBudget_stillHolds() {
    MissLimiter limiter = new MissLimiter(3, () -> 0L, 7);
    assertThat(limiter.tryAcquire("k")).isTrue();
    assertThat(limiter.tryAcquire("k")).isTrue();
    assertThat(limiter.tryAcquire("k")).isTrue();
    assertThat(limiter.tryAcquire("k")).isFalse();
  }
}
