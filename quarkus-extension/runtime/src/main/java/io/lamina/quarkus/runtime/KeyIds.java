package io.lamina.quarkus.runtime;

import io.quarkus.cache.CompositeCacheKey;
import io.quarkus.cache.DefaultCacheKey;
import java.lang.reflect.Array;
import java.lang.reflect.RecordComponent;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Duration;
import java.time.Period;
import java.time.temporal.TemporalAccessor;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * Turns the keys Quarkus' cache annotations produce into canonical ids. Every scalar carries a tag for its type
 * ({@code s:} String, {@code l:} Long, {@code i:} Integer, {@code u:} UUID, {@code e:} enum, {@code t:} java.time,
 * ...), so {@code 1L}, {@code 1} and {@code "1"} never share an entry. A {@link CompositeCacheKey} prints as
 * {@code [a,b]}, a record as {@code r:Name[a,b]}, a list or array as {@code L[a,b]}, with {@code \}, {@code ,},
 * {@code [} and {@code ]} escaped inside each part and null as {@code \0}; the key of a method without
 * parameters is {@code ~}. No two distinct keys print alike, and the id does not depend on the JVM.
 */
final class KeyIds {

  private KeyIds() {}

  static String toId(Object key) {
    StringBuilder out = new StringBuilder();
    append(out, key, key);
    return out.toString();
  }

  @SuppressWarnings("ReferenceEquality") // the message says "inside" only when part is not the key itself
  private static void append(StringBuilder out, Object part, Object key) {
    String scalar = scalar(part);
    if (scalar != null) {
      escape(out, scalar);
    } else if (part instanceof DefaultCacheKey) {
      out.append('~');
    } else if (part instanceof CompositeCacheKey composite) {
      list(out, "", Arrays.asList(composite.getKeyElements()), key);
    } else if (part instanceof Record record) {
      RecordComponent[] components = record.getClass().getRecordComponents();
      Object[] values = new Object[components.length];
      for (int i = 0; i < components.length; i++) {
        try {
          values[i] = components[i].getAccessor().invoke(record);
        } catch (ReflectiveOperationException e) {
          throw new IllegalArgumentException("cannot read component " + components[i].getName() + " of cache key "
              + record.getClass().getName() + " (make the record public)", e);
        }
      }
      list(out, "r:" + record.getClass().getName(), Arrays.asList(values), key);
    } else if (part instanceof List<?> list) {
      list(out, "L", list, key);
    } else if (part.getClass().isArray()) {
      int n = Array.getLength(part);
      Object[] values = new Object[n];
      for (int i = 0; i < n; i++) {
        values[i] = Array.get(part, i);
      }
      list(out, "L", Arrays.asList(values), key);
    } else {
      throw new IllegalArgumentException("a cache key of type " + part.getClass().getName()
          + (part == key ? "" : " (inside " + key.getClass().getName() + ")")
          + " has no canonical id: its toString() may differ between instances or collide. Use a String, number,"
          + " UUID, enum, java.time value or a record of those (mark the parameters with @CacheKey), or a"
          + " CacheKeyGenerator that returns one");
    }
  }

  private static void list(StringBuilder out, String prefix, List<?> parts, Object key) {
    escape(out, prefix);
    out.append('[');
    for (int i = 0; i < parts.size(); i++) {
      if (i > 0) {
        out.append(',');
      }
      Object p = parts.get(i);
      if (p == null) {
        out.append("\\0");
      } else {
        append(out, p, key);
      }
    }
    out.append(']');
  }

  private static @Nullable String scalar(Object part) {
    if (part instanceof String s) {
      return "s:" + s;
    } else if (part instanceof Long || part instanceof Integer || part instanceof Short || part instanceof Byte
        || part instanceof Double || part instanceof Float || part instanceof Boolean || part instanceof Character) {
      return tag(part) + ":" + part;
    } else if (part instanceof CharSequence s) {
      return "s:" + s;
    } else if (part instanceof UUID) {
      return "u:" + part;
    } else if (part instanceof BigInteger) {
      return "I:" + part;
    } else if (part instanceof BigDecimal) {
      return "D:" + part;
    } else if (part instanceof Enum<?> e) {
      return "e:" + e.getDeclaringClass().getName() + "." + e.name();
    } else if ((part instanceof TemporalAccessor || part instanceof Duration || part instanceof Period)
        && part.getClass().getName().startsWith("java.time.")) {
      return "t:" + part.getClass().getSimpleName() + ":" + part;
    }
    return null;
  }

  private static String tag(Object part) {
    if (part instanceof Long) {
      return "l";
    } else if (part instanceof Integer) {
      return "i";
    } else if (part instanceof Short) {
      return "h";
    } else if (part instanceof Byte) {
      return "b";
    } else if (part instanceof Double) {
      return "d";
    } else if (part instanceof Float) {
      return "f";
    } else if (part instanceof Boolean) {
      return "z";
    }
    return "c";
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
        keys[i] = "\\0".equals(parts.get(i)) ? null : scalarOf(unescape(parts.get(i)));
        if (keys[i] == null) {
          return null; // a null or non-scalar element: not rebuilt
        }
      }
      return new CompositeCacheKey(keys);
    }
    return scalarOf(unescape(id));
  }

  /** The parts of a list's body split at unescaped commas; null when a part is itself a list. */
  private static @Nullable List<String> split(String body) {
    List<String> parts = new java.util.ArrayList<>();
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
