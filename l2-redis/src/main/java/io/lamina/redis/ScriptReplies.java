package io.lamina.redis;

import io.lamina.spi.FillResult;
import io.lamina.spi.RemoteEntry;
import io.lamina.spi.RemoteEntry.Lease;
import io.lamina.spi.RemoteEntry.State;
import io.lamina.spi.Version;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.jspecify.annotations.Nullable;

/** The replies of Lamina's Lua scripts, as {@link RedissonRemoteStore} receives them, parsed. */
final class ScriptReplies {

  /** What a reply that is not a script's own stands for: an unreadable entry. */
  static final RemoteEntry CORRUPT =
      new RemoteEntry(State.CORRUPT, Version.NONE, null, -1, Lease.NOT_REQUESTED);

  private ScriptReplies() {}

  /** The reply of read.lua or refresh-lease.lua; a reply that cannot be parsed is an unreadable entry. */
  static RemoteEntry entry(List<Object> r) {
    try {
      return parseEntry(r);
    } catch (RuntimeException e) {
      return CORRUPT;
    }
  }

  private static RemoteEntry parseEntry(List<Object> r) {
    String state = text(r.get(0));
    long pttl = number(r.get(4));
    Lease lease = switch (text(r.get(5))) {
      case "G" -> Lease.GRANTED;
      case "H" -> Lease.HELD_BY_OTHER;
      case "R" -> Lease.REFUSED;
      default -> Lease.NOT_REQUESTED;
    };
    long inc = number(r.get(1));
    Version version = inc == 0 ? Version.NONE : new Version(inc, number(r.get(2)));
    return switch (state) {
      case "V" -> new RemoteEntry(State.VALUE, version, (byte[]) r.get(3), pttl, lease);
      case "N" -> new RemoteEntry(State.NEGATIVE, version, null, pttl, lease);
      case "T" -> new RemoteEntry(State.TOMBSTONE, version, null, pttl, lease);
      case "I" -> new RemoteEntry(State.INTENT, version, null, pttl, lease);
      case "A" -> new RemoteEntry(State.ABSENT, version, null, pttl, lease);
      default -> new RemoteEntry(State.CORRUPT, Version.NONE, null, pttl, lease);
    };
  }

  static FillResult fill(List<Object> r) {
    long inc = number(r.get(1));
    Version version = inc == 0 ? Version.NONE : new Version(inc, number(r.get(2)));
    return number(r.get(0)) == 1 ? FillResult.stored(version) : FillResult.rejected(version);
  }

  static Version version(List<Object> r) {
    return new Version(number(r.get(0)), number(r.get(1)));
  }

  private static String text(@Nullable Object o) {
    if (o instanceof byte[] b) {
      return new String(b, StandardCharsets.UTF_8);
    }
    return String.valueOf(o);
  }

  private static long number(@Nullable Object o) {
    if (o == null) {
      return 0;
    }
    if (o instanceof Long l) {
      return l;
    }
    return Long.parseLong(text(o));
  }
}
