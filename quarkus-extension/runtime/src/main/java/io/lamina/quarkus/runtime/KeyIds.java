package io.lamina.quarkus.runtime;

import io.lamina.CanonicalKeys;
import io.quarkus.cache.CompositeCacheKey;
import io.quarkus.cache.DefaultCacheKey;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * Turns the keys Quarkus' cache annotations produce into canonical ids with {@link CanonicalKeys} (shared with the
 * Spring starter), and back where the key can be rebuilt. Every scalar carries a tag for its type
 * ({@code s:} String, {@code l:} Long, {@code i:} Integer, {@code u:} UUID, {@code e:} enum, {@code t:} java.time,
 * ...), so {@code 1L}, {@code 1} and {@code "1"} never share an entry. A {@link CompositeCacheKey} prints as
 * {@code [a,b]}, a record as {@code r:Name[a,b]}, a list or array as {@code L[a,b]}, with {@code \}, {@code ,},
 * {@code [} and {@code ]} escaped inside each part and null as {@code \0}; the key of a method without
 * parameters is {@code ~}. No two distinct keys print alike, and the id does not depend on the JVM.
 */
final class KeyIds {

  private KeyIds() {}

  private static final CanonicalKeys.Composites QUARKUS = new CanonicalKeys.Composites() {
    @Override
    public @Nullable List<?> partsOf(Object key) {
      return key instanceof CompositeCacheKey composite ? Arrays.asList(composite.getKeyElements()) : null;
    }

    @Override
    public @Nullable String fixedIdOf(Object key) {
      return key instanceof DefaultCacheKey ? "~" : null;
    }
  };

  static String toId(Object key) {
    return CanonicalKeys.toId(key, QUARKUS,
        " (mark the parameters with @CacheKey), or a CacheKeyGenerator that returns one");
  }

  /**
   * The key {@code id} stands for, when it can be rebuilt: a string, number, boolean, character, UUID, or a
   * composite of those (as a {@link CompositeCacheKey}); null for ids of other keys (enums, records, lists,
   * {@code java.time} values, the default key) and for text that is not an id.
   */
  static @Nullable Object fromId(String id) {
    if (id.startsWith("[") && id.endsWith("]")) {
      List<String> parts = split(id.substring(1, id.length() - 1));
      if (parts == null) {
        return null;
      }
      Object[] keys = new Object[parts.size()];
      for (int i = 0; i < keys.length; i++) {
        Object part = "\\0".equals(parts.get(i)) ? null : scalarOf(unescape(parts.get(i)));
        if (part == null) {
          return null; // a null or non-scalar element: not rebuilt
        }
        keys[i] = part;
      }
      return new CompositeCacheKey(keys);
    }
    return scalarOf(unescape(id));
  }

  /** The parts of a list's body split at unescaped commas; null when a part is itself a list. */
  private static @Nullable List<String> split(String body) {
    List<String> parts = new ArrayList<>();
    StringBuilder part = new StringBuilder();
    for (int i = 0; i < body.length(); i++) {
      char c = body.charAt(i);
      if (c == '\\' && i + 1 < body.length()) {
        part.append(c).append(body.charAt(++i));
      } else if (c == ',') {
        parts.add(part.toString());
        part.setLength(0);
      } else if (c == '[' || c == ']') {
        return null;
      } else {
        part.append(c);
      }
    }
    parts.add(part.toString());
    return parts;
  }

  private static String unescape(String text) {
    StringBuilder out = new StringBuilder(text.length());
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      out.append(c == '\\' && i + 1 < text.length() ? text.charAt(++i) : c);
    }
    return out.toString();
  }

  private static @Nullable Object scalarOf(String text) {
    int colon = text.indexOf(':');
    if (colon != 1) {
      return null;
    }
    String v = text.substring(2);
    try {
      switch (text.charAt(0)) {
        case 's': return v;
        case 'l': return Long.valueOf(v);
        case 'i': return Integer.valueOf(v);
        case 'h': return Short.valueOf(v);
        case 'b': return Byte.valueOf(v);
        case 'd': return Double.valueOf(v);
        case 'f': return Float.valueOf(v);
        case 'z': return "true".equals(v) ? Boolean.TRUE : "false".equals(v) ? Boolean.FALSE : null;
        case 'c': return v.length() == 1 ? v.charAt(0) : null;
        case 'u': return UUID.fromString(v);
        case 'I': return new BigInteger(v);
        case 'D': return new BigDecimal(v);
        default: return null;
      }
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  private static void escape(StringBuilder out, String text) {
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == '\\' || c == ',' || c == '[' || c == ']') {
        out.append('\\');
      }
      out.append(c);
    }
  }
}
