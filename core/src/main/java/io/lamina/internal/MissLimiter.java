package io.lamina.internal;

import io.lamina.Ticker;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * A per-key limit on loads per second, for keys hammered by misses (an attacker probing ids that do not exist,
 * a bug in a client). Keys are hashed onto a fixed table of one-second counters, so the memory is bounded
 * whatever the number of keys; the price is that keys sharing a slot share its budget, which can only make the
 * limit stricter, never looser. Slots are chosen by a hash seeded per process, so nobody can pick ids that
 * share a victim's slot and spend its budget.
 */
final class MissLimiter {

  private static final int SLOTS = 4096;
  private static final long SECOND = 1_000_000_000L;

  private final int perSecond;
  private final Ticker ticker;
  private final long seed;
  /** Per slot: the second (high 40 bits) and the count in it (low 24 bits). */
  private final AtomicLongArray slots = new AtomicLongArray(SLOTS);

  MissLimiter(int perSecond, Ticker ticker) {
    this(perSecond, ticker, SeededHash.PROCESS_SEED);
  }

  /** With the hash seed given (tests); ids share a slot by a seeded hash, never by {@code String.hashCode}. */
  MissLimiter(int perSecond, Ticker ticker, long seed) {
    this.perSecond = Math.min(perSecond, (1 << 24) - 1);
    this.ticker = ticker;
    this.seed = seed;
  }

  /** Takes one load of {@code id} from this second's budget; false when the budget is spent. */
  boolean tryAcquire(String id) {
    int slot = (int) SeededHash.hash(id, seed) & (SLOTS - 1);
    long second = Math.floorDiv(ticker.read(), SECOND) & ((1L << 40) - 1);
    for (;;) {
      long current = slots.get(slot);
      long count = (current >>> 40) == second ? current & 0xFF_FFFF : 0;
      if (count >= perSecond) {
        return false;
      }
      if (slots.compareAndSet(slot, current, (second << 40) | (count + 1))) {
        return true;
      }
    }
  }
}
