package io.lamina.spi;

/**
 * A shared remote tier (L2), such as Redis. One instance may serve many caches.
 *
 * <p>A remote tier does not own the client it was given: closing the caches never closes the client.
 */
public interface RemoteTier {

  /** Opens the store of one cache. Called once per cache when the cache is built. */
  RemoteStore open(RemoteStoreSpec spec);

  /** A short name for logs and metrics, such as {@code redis}. */
  String name();

  /**
   * The roster of live nodes of {@code namespace}, used by the invalidation bus to tell a crashed peer from one
   * cut off from the bus. Tiers that cannot keep one throw {@link UnsupportedOperationException}.
   */
  default Roster roster(String namespace) {
    throw new UnsupportedOperationException(name() + " keeps no roster");
  }
}
