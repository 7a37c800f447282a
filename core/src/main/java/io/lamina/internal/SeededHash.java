package io.lamina.internal;

import java.security.SecureRandom;

/**
 * A 64-bit hash of an id keyed by a secret drawn once per process, for the tables that attacker-chosen ids
 * reach (the miss limiter, the hot-key sketch). {@link String#hashCode()} is public knowledge: anyone can make
 * thousands of ids that share a victim's slot. Here the seed enters every step (FNV-1a from a random basis,
 * then Murmur3's finalizer), so ids that collide in one process do not in another, and the seed cannot be read
 * back from the tables. Not a cryptographic MAC; a flooding defence. Written here because the JDK has none and
 * the libraries that do (Guava's SipHash) are not a dependency of the core.
 */
final class SeededHash {

  /** This process's secret seed. */
  static final long PROCESS_SEED = new SecureRandom().nextLong();

  private SeededHash() {}

  static long hash(String id, long seed) {
    long h = seed ^ 0xcbf29ce484222325L;
    for (int i = 0; i < id.length(); i++) {
      h = (h ^ id.charAt(i)) * 0x100000001b3L;
    }
    h ^= h >>> 33;
    h *= 0xff51afd7ed558ccdL;
    h ^= h >>> 33;
    h *= 0xc4ceb9fe1a85ec53L;
    h ^= h >>> 33;
    return h;
  }
}
