package io.lamina.redis;

import io.lamina.spi.RemoteEntry;
import io.lamina.spi.RemoteEntry.Lease;
import io.lamina.spi.RemoteEntry.State;
import io.lamina.spi.Version;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * A value or negative result read with one plain HMGET instead of {@code read.lua}: the entry's fields checked here
 * as entry.lua checks them, and its remaining time taken from field x ({@code '<counter>:<expiry ms>'}, written by
 * fill.lua and put-versioned.lua) instead of a PTTL. Whatever this cannot vouch for is left to the script.
 */
final class PlainHit {

  /** The fields {@link #of} reads, in the order it reads them, asked for by one plain HMGET. */
  private static final List<String> NAMES = List.of("s", "i", "c", "p", "e", "v", "x");
  private static final int STATE = 0;
  private static final int INCARNATION = 1;
  private static final int COUNTER = 2;
  private static final int PAYLOAD = 3;
  private static final int LEASE_EXPIRY = 4;
  private static final int SOURCE_VERSION = 5;
  private static final int EXPIRY = 6;
  private static final long NOT_A_NUMBER = Long.MIN_VALUE;

  private PlainHit() {}

  /** The arguments of the HMGET: the key, then the fields. */
  static Object[] hmget(String key) {
    Object[] args = new Object[1 + NAMES.size()];
    args[0] = key;
    for (int i = 0; i < NAMES.size(); i++) {
      args[i + 1] = NAMES.get(i);
    }
    return args;
  }

  /** The fields, as the arguments of {@code read-plain.lua} (bytes, as the script's codec sends them). */
  static Object[] fieldArgs() {
    return NAMES.stream().map(name -> name.getBytes(StandardCharsets.US_ASCII)).toArray();
  }

  /**
   * The hit an HMGET of {@link #hmget} found (one reply per field, null for a missing one), or null when
   * {@code read.lua} must decide: the state is not V or N, a field entry.lua checks is not a number, a value has no
   * payload, or field x is missing, is of an older counter (a write by a Lamina that does not keep it) or has
   * passed. The remaining time is x's expiry, in Redis' clock, less {@code nowMillis} in this node's: clock skew
   * shifts it (it caps how long L1 keeps the copy).
   */
  static @Nullable RemoteEntry of(List<?> fields, long nowMillis) {
    if (fields.size() != NAMES.size()) {
      return null;
    }
    byte[] state = text(fields, STATE);
    if (state == null || state.length != 1 || (state[0] != 'V' && state[0] != 'N')) {
      return null;
    }
    byte[] payload = text(fields, PAYLOAD);
    byte[] counterText = text(fields, COUNTER);
    byte[] expiry = text(fields, EXPIRY);
    if (counterText == null || expiry == null || (state[0] == 'V' && payload == null)
        || !checks(fields, LEASE_EXPIRY, false) || !checks(fields, SOURCE_VERSION, true)) {
      return null;
    }
    long incarnation = parse(text(fields, INCARNATION), false);
    long counter = parse(counterText, false);
    int n = counterText.length; // x is '<counter>:<expiry ms>', written with the counter it belongs to
    if (incarnation == NOT_A_NUMBER || counter == NOT_A_NUMBER || expiry.length <= n + 1 || expiry[n] != ':'
        || !Arrays.equals(expiry, 0, n, counterText, 0, n)) {
      return null;
    }
    long expiresAt = parse(expiry, n + 1, false);
    if (expiresAt == NOT_A_NUMBER || expiresAt <= nowMillis) {
      return null;
    }
    Version version = incarnation == 0 ? Version.NONE : new Version(incarnation, counter);
    return state[0] == 'V'
        ? new RemoteEntry(State.VALUE, version, payload, expiresAt - nowMillis, Lease.NOT_REQUESTED)
        : new RemoteEntry(State.NEGATIVE, version, null, expiresAt - nowMillis, Lease.NOT_REQUESTED);
  }

  private static byte @Nullable [] text(List<?> fields, int index) {
    return fields.get(index) instanceof byte[] b ? b : null;
  }

  /** Whether the optional field at {@code index} is absent or a number entry.lua accepts. */
  private static boolean checks(List<?> fields, int index, boolean signed) {
    byte[] text = text(fields, index);
    return text == null || parse(text, 0, signed) != NOT_A_NUMBER;
  }

  private static long parse(byte @Nullable [] text, boolean signed) {
    return text == null ? NOT_A_NUMBER : parse(text, 0, signed);
  }

  /**
   * The decimal number in {@code text} from {@code start}, as entry.lua accepts it (digits, a minus sign first
   * when {@code signed}, at most 20 characters), or NOT_A_NUMBER.
   */
  private static long parse(byte[] text, int start, boolean signed) {
    int from = signed && start < text.length && text[start] == '-' ? start + 1 : start;
    if (from == text.length || text.length - start > 20) {
      return NOT_A_NUMBER;
    }
    long n = 0;
    for (int i = from; i < text.length; i++) {
      int digit = text[i] - '0';
      if (digit < 0 || digit > 9 || n > (Long.MAX_VALUE - digit) / 10) {
        return NOT_A_NUMBER;
      }
      n = n * 10 + digit;
    }
    return from > start ? -n : n;
  }
}
