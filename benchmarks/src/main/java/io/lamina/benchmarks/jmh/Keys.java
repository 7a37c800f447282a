package io.lamina.benchmarks.jmh;

import org.apache.commons.rng.UniformRandomProvider;
import org.apache.commons.rng.sampling.distribution.DiscreteSampler;
import org.apache.commons.rng.sampling.distribution.RejectionInversionZipfSampler;
import org.apache.commons.rng.simple.RandomSource;

/**
 * Pre-drawn key sequences, so a benchmark's operation costs no random draw and no boxing: {@code zipf} (exponent
 * 0.99, as in YCSB and Caffeine's own benchmarks) or {@code uniform} over {@code count} keys.
 */
public final class Keys {

  /** The length of a sequence: a power of two, indexed with a mask. */
  public static final int SEQUENCE = 1 << 20;

  private Keys() {}

  /** The keys 0 … count-1, boxed once. */
  public static Long[] universe(int count) {
    Long[] keys = new Long[count];
    for (int i = 0; i < count; i++) {
      keys[i] = (long) i;
    }
    return keys;
  }

  /** {@link #SEQUENCE} draws from {@code universe} by {@code distribution} ({@code zipf} or {@code uniform}). */
  public static Long[] sequence(Long[] universe, String distribution, long seed) {
    UniformRandomProvider rng = RandomSource.XO_RO_SHI_RO_128_PP.create(seed);
    Long[] seq = new Long[SEQUENCE];
    switch (distribution) {
      case "zipf" -> {
        DiscreteSampler zipf = RejectionInversionZipfSampler.of(rng, universe.length, 0.99);
        for (int i = 0; i < SEQUENCE; i++) {
          seq[i] = universe[zipf.sample() - 1];
        }
      }
      case "uniform" -> {
        for (int i = 0; i < SEQUENCE; i++) {
          seq[i] = universe[rng.nextInt(universe.length)];
        }
      }
      default -> throw new IllegalArgumentException("unknown distribution " + distribution);
    }
    return seq;
  }
}
