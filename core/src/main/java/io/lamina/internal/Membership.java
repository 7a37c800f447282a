package io.lamina.internal;

import java.util.HashSet;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.jspecify.annotations.Nullable;

/**
 * The roster as this node last read it: the nodes it should be hearing. Without a roster, or before it is first
 * read, nobody is known to be live and nobody is a stranger.
 */
final class Membership {

  private static final Logger LOG = Logger.getLogger(BusNode.class.getName());

  private final String namespace;
  private final boolean rostered;
  private final BusCounters counters;
  private volatile @Nullable Set<String> live;
  /** Roster members that are not node ids (written by something else), each counted once as malformed. */
  private final Set<String> badMembers = ConcurrentHashMap.newKeySet();

  Membership(String namespace, boolean rostered, BusCounters counters) {
    this.namespace = namespace;
    this.rostered = rostered;
    this.counters = counters;
  }

  /** Whether the node keeps a roster at all; without one, the peers heard lately are taken as the live ones. */
  boolean rostered() {
    return rostered;
  }

  /** The live members as last read; null without a roster or before it was first read. */
  @Nullable Set<String> live() {
    return live;
  }

  /** A renewal's answer: the members it lists are the live ones from now on. */
  void read(Set<String> members) {
    live = wellFormed(members);
  }

  /**
   * Whether {@code origin} is missing from the roster as last read. Without a roster, or before it is first read,
   * nobody is a stranger (the node does not trust then anyway).
   */
  boolean isStranger(UUID origin) {
    Set<String> live = this.live;
    return rostered && live != null && !live.contains(origin.toString());
  }

  /** {@code members} without the entries that are not node ids: those are skipped, counted once, never fatal. */
  private Set<String> wellFormed(Set<String> members) {
    Set<String> good = null;
    for (String member : members) {
      boolean ok;
      try {
        ok = UUID.fromString(member).toString().equals(member);
      } catch (IllegalArgumentException e) {
        ok = false;
      }
      if (!ok) {
        if (good == null) {
          good = new HashSet<>(members);
        }
        good.remove(member);
        if (badMembers.size() < 1_000 && badMembers.add(member)) {
          counters.malformed.increment();
          LOG.log(Level.WARNING, "namespace '" + namespace + "': roster member " + LogSafe.quote(member)
              + " is not a node id; skipped");
        }
      }
    }
    return good == null ? members : good;
  }
}
