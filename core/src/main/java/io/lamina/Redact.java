package io.lamina;

import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Removes secrets from text that Lamina shows: in every URL of a message, the user-info (a user name, password or
 * token before {@code @}) becomes {@code ***}, so {@code nats://user:pass@host:4222} and
 * {@code redis://:pass@host:6379} read {@code nats://***@host:4222} and {@code redis://***@host:6379}. The
 * integrations apply it to every server address they put in a log line, an exception message or a health detail.
 */
public final class Redact {

  // The user-info runs from "scheme://" to the last '@' before the end of the token (whitespace, a comma,
  // a quote or a bracket): greedy, so a password that itself holds '@' or '/' is hidden whole.
  private static final Pattern USER_INFO =
      Pattern.compile("([A-Za-z][A-Za-z0-9+.-]*://)[^\\s,;'\"<>\\[\\]{}]*@");

  private Redact() {}

  /** {@code text} with the user-info of every URL in it replaced by {@code ***}; null gives "null". */
  public static String userInfo(@Nullable Object text) {
    String s = String.valueOf(text);
    if (s.indexOf('@') < 0) {
      return s;
    }
    return USER_INFO.matcher(s).replaceAll("$1***@");
  }

  /**
   * {@code error} itself when no message in its cause chain holds a URL's user-info; otherwise a copy of the
   * chain whose messages are redacted (each link names the original class and keeps its stack trace), so that
   * logging it as a cause shows no secret.
   */
  public static Throwable causes(Throwable error) {
    boolean secret = false;
    int depth = 0;
    for (Throwable t = error; t != null && depth < 20; t = t.getCause(), depth++) {
      String m = t.getMessage();
      secret |= m != null && !m.equals(userInfo(m));
    }
    return secret ? copy(error, 0) : error;
  }

  private static Throwable copy(Throwable t, int depth) {
    Throwable cause = t.getCause();
    Redacted copy = new Redacted(t.getClass().getName() + ": " + userInfo(t.getMessage()),
        cause == null || cause == t || depth >= 20 ? null : copy(cause, depth + 1));
    copy.setStackTrace(t.getStackTrace());
    return copy;
  }

  /** A copy of an error whose message held a secret. */
  private static final class Redacted extends RuntimeException {
    private static final long serialVersionUID = 1L;

    Redacted(String message, @Nullable Throwable cause) {
      super(message, cause);
    }

    @Override
    public String toString() {
      return String.valueOf(getMessage());
    }
  }
}
