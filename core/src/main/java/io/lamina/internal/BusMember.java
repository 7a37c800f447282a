package io.lamina.internal;

import io.lamina.spi.InvalidationMessage;
import java.util.List;

/** What a bus node needs from each cache on its channel. */
interface BusMember {

  /** The cache's name, as it appears in messages. */
  String cacheName();

  /** Applies other nodes' invalidations: removes the keys from L1 and records the versions. */
  void applyRemote(List<InvalidationMessage.Entry> entries);

  /** Makes every L1 entry and reservation unreachable (a gap, a whole-cache flush, a resync). */
  void flushLocal();

  /** Another node's load of these ids ended: whoever waits for it here should re-read L2. */
  void wake(List<InvalidationMessage.Entry> entries);
}
