package io.lamina.internal;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Text from outside (ids from the bus or Redis) made fit for a log line: at most {@value #MAX_CHARS} characters,
 * control characters escaped, so a forged 1 MiB id full of line breaks cannot flood the log or forge lines; and a
 * gate that lets one such line through per interval, counting the rest.
 */
final class LogSafe {

  static final int MAX_CHARS = 120;

  private LogSafe() {}

  /** {@code text} truncated and escaped, quoted. */
  static String quote(String text) {
    StringBuilder out = new StringBuilder(Math.min(text.length(), MAX_CHARS) + 16).append('\'');
    int n = Math.min(text.length(), MAX_CHARS);
    for (int i = 0; i < n; i++) {
      char c = text.charAt(i);
      if (c < 0x20 || c == 0x7f || c == '\u2028' || c == '\u2029') {
        out.append(String.format("\\u%04x", (int) c));
      } else {
        out.append(c);
      }
    }
    out.append('\'');
    if (text.length() > n) {
      out.append("... (").append(text.length()).append(" chars)");
    }
    return out.toString();
  }

  /** Lets one log line through per interval; the others are counted and reported with the next one let through. */
  static final class Gate {
    private final long intervalNanos;
    private final AtomicLong next = new AtomicLong(Long.MIN_VALUE);
    private final AtomicLong suppressed = new AtomicLong();

    Gate(long intervalNanos) {
      this.intervalNanos = intervalNanos;
    }

    /** -1 when this line must be dropped; otherwise how many were dropped since the last one let through. */
    long tryPass(long nowNanos) {
      long due = next.get();
      if ((due == Long.MIN_VALUE || nowNanos - due >= 0) && next.compareAndSet(due, nowNanos + intervalNanos)) {
        return suppressed.getAndSet(0);
      }
      suppressed.incrementAndGet();
      return -1;
    }
  }
}
