package io.lamina;

/**
 * A key this node reads often: one entry of the hot-key report, hottest first.
 *
 * <p>Counts are estimates over this node's sliding window, never exact: the true number of reads lies within
 * {@code count ± error} with the probability the sketch documents (about 98 %). Without sampling the estimate
 * never undercounts, so the true count lies in {@code [count - error, count]}. Other nodes count their own
 * reads; nothing here is cluster-wide.
 *
 * @param id the key's id, as the cache's key codec encodes it
 * @param count the estimated reads of this key on this node within the window
 * @param error the bound on the estimate's error, in reads; grows with the window's total reads and with sampling
 * @param share the estimated fraction of this node's reads within the window that went to this key, in [0, 1]
 */
public record HotKey(String id, long count, long error, double share) {

  /**
   * Checks the fields.
   *
   * @throws IllegalArgumentException if {@code count} or {@code error} is negative or {@code share} lies outside
   *     [0, 1]
   */
  public HotKey {
    if (count < 0) {
      throw new IllegalArgumentException("count must not be negative, was " + count);
    }
    if (error < 0) {
      throw new IllegalArgumentException("error must not be negative, was " + error);
    }
    if (!(share >= 0 && share <= 1)) {
      throw new IllegalArgumentException("share must lie in [0, 1], was " + share);
    }
  }
}
