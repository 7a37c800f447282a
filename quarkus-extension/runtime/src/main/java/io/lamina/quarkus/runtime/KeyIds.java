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
