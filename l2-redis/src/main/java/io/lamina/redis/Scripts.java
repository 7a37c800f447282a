package io.lamina.redis;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * The Lua scripts, read once from the jar. Every script that reads an entry starts with {@code entry.lua}, which
 * checks the entry's fields, so that whatever is found in Redis is a malformed entry, never a script error (which
 * the caller would count as an L2 failure on its breaker).
 */
final class Scripts {

  private static final String ENTRY = load("entry.lua");
  private static final String READ_FUNCTION = ENTRY + load("read.lua");
  static final String READ = READ_FUNCTION + "return lamina_read(KEYS[1], ARGV[1], tonumber(ARGV[2]), ARGV[3])\n";
  /** Several entries of one server in one call; see {@code read-all.lua}. */
  static final String READ_ALL = READ_FUNCTION + load("read-all.lua");
  /** The fields of several entries, unchecked, for the client's plain-hit check; see {@code read-plain.lua}. */
  static final String READ_PLAIN = load("read-plain.lua");
  static final String FILL = ENTRY + load("fill.lua");
  static final String MARK = ENTRY + load("mark.lua");
  static final String PUT_VERSIONED = ENTRY + load("put-versioned.lua");
  static final String REMOVE_CORRUPT = ENTRY + load("remove-corrupt.lua");
  static final String ROSTER = load("roster.lua");
  static final String IDENTITY = load("identity.lua");
  static final String REFRESH_LEASE = ENTRY + load("refresh-lease.lua");

  private Scripts() {}

  private static String load(String name) {
    try (InputStream in = Objects.requireNonNull(Scripts.class.getResourceAsStream(name), name)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read script " + name, e);
    }
  }
}
