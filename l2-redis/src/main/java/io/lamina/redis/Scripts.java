package io.lamina.redis;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

/** The Lua scripts, read once from the jar. */
final class Scripts {

  static final String READ = load("read.lua");
  static final String FILL = load("fill.lua");
  static final String MARK = load("mark.lua");
  static final String PUT_VERSIONED = load("put-versioned.lua");
  static final String REMOVE_CORRUPT = load("remove-corrupt.lua");
  static final String ROSTER = load("roster.lua");
  static final String REFRESH_LEASE = load("refresh-lease.lua");

  private Scripts() {}

  private static String load(String name) {
    try (InputStream in = Objects.requireNonNull(Scripts.class.getResourceAsStream(name), name)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read script " + name, e);
    }
  }
}
