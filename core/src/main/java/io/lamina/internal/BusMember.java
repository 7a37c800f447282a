package io.lamina.internal;

import io.lamina.spi.InvalidationMessage;
import java.util.List;
import java.util.UUID;

/** What a bus node needs from each cache on its channel. */
interface BusMember {

  /** The cache's name, as it appears in messages. */
  String cacheName();

  /**
   * Applies another node's invalidations: removes the keys from L1 and records the versions. An entry without a
   * version ({@code Version.NONE}) says {@code origin} could not write L2: that id's L2 entry is suspect until
   * {@code origin} announces its repair.
   */
  void applyRemote(UUID origin, List<InvalidationMessage.Entry> entries);

  /**
   * Another node flushed the whole cache: drop L1. With {@code l2Cleared} it cleared L2 first, so nothing it had
   * left unrepaired remains; without, its L2 clear failed and is being retried, so every L2 entry of the cache is
   * suspect until it announces the clear.
   */
  default void cleared(UUID origin, boolean l2Cleared) {
    flushLocal();
  }

  /** Makes every L1 entry and reservation unreachable (a gap, a whole-cache flush, a resync). */
  void flushLocal();

  /** Another node's load of these ids ended: whoever waits for it here should re-read L2. */
  void wake(List<InvalidationMessage.Entry> entries);

  /**
   * Another server now answers as the L2 primary (rule 9): what this node wrote lately may not have reached it,
   * so those writes must be made again.
   */
  default void remoteFailedOver() {}
}
