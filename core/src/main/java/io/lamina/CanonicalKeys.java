package io.lamina;

import java.lang.reflect.Array;
import java.lang.reflect.Method;
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
 * Canonical ids for the keys that cache annotations produce, shared by the Spring starter and the Quarkus
 * extension. Every scalar carries a tag for its type ({@code s:} String, {@code l:} Long, {@code i:} Integer,
 * {@code h:} Short, {@code b:} Byte, {@code d:} Double, {@code f:} Float, {@code z:} Boolean, {@code c:} Character,
 * {@code u:} UUID, {@code I:} BigInteger, {@code D:} BigDecimal, {@code e:} enum by class and name, {@code t:}
 * java.time by type), so {@code 42L}, {@code 42} and {@code "42"} never share an entry. A framework's composite
 * key prints as {@code [a,b]}, a record as {@code r:full.ClassName[a,b]}, a list or array as {@code L[a,b]}, with
 * {@code \}, {@code ,}, {@code [} and {@code ]} escaped inside each part and null as {@code \0}. No two distinct
 * keys print alike, and an id does not depend on the JVM or the process.
 */
public final class CanonicalKeys {

  /** How a framework's own key types print. */
  public interface Composites {
    /** The parts of {@code key} if it is one of the framework's composite keys (printed {@code [a,b]}), else null. */
    @Nullable List<?> partsOf(Object key);

    /** A fixed id for {@code key} (the key of a method without parameters, for instance), or null. */
    default @Nullable String fixedIdOf(Object key) {
      return null;
    }
  }

  /** No framework key types. */
  public static final Composites NONE = key -> null;

  private CanonicalKeys() {}

  /**
   * The canonical id of {@code key}.
   *
   * @param advice appended to the error for a key that has no canonical id: what the user can do instead
   * @throws IllegalArgumentException naming the key's class when it (or a part of it) has no canonical id
   */
  public static String toId(Object key, Composites composites, String advice) {
    StringBuilder out = new StringBuilder();
    append(out, key, key, composites, advice);
    return out.toString();
  }

  @SuppressWarnings("ReferenceEquality") // the message says "inside" only when part is not the key itself
  private static void append(StringBuilder out, Object part, Object key, Composites composites, String advice) {
    String scalar = scalar(part);
    if (scalar != null) {
      escape(out, scalar);
      return;
    }
    String fixed = composites.fixedIdOf(part);
    if (fixed != null) {
      out.append(fixed);
      return;
    }
    List<?> parts = composites.partsOf(part);
    if (parts != null) {
      list(out, "", parts, key, composites, advice);
    } else if (part instanceof Record record) {
      RecordComponent[] components = record.getClass().getRecordComponents();
      Object[] values = new Object[components.length];
      for (int i = 0; i < components.length; i++) {
        try {
          Method accessor = components[i].getAccessor();
          if (!accessor.canAccess(record)) {
            accessor.trySetAccessible(); // a record that is not public, on the class path
          }
          values[i] = accessor.invoke(record);
        } catch (ReflectiveOperationException | RuntimeException e) {
          throw new IllegalArgumentException("cannot read component " + components[i].getName() + " of cache key "
              + record.getClass().getName() + " (make the record public)", e);
        }
      }
      list(out, "r:" + record.getClass().getName(), Arrays.asList(values), key, composites, advice);
    } else if (part instanceof List<?> list) {
      list(out, "L", list, key, composites, advice);
    } else if (part.getClass().isArray()) {
      int n = Array.getLength(part);
      Object[] values = new Object[n];
      for (int i = 0; i < n; i++) {
        values[i] = Array.get(part, i);
      }
      list(out, "L", Arrays.asList(values), key, composites, advice);
    } else {
      throw new IllegalArgumentException("a cache key of type " + part.getClass().getName()
          + (part == key ? "" : " (inside " + key.getClass().getName() + ")")
          + " has no canonical id: its toString() may differ between instances or collide. Use a String, number,"
          + " UUID, enum, java.time value or a record of those" + advice);
    }
  }

  private static void list(StringBuilder out, String prefix, List<?> parts, Object key, Composites composites,
      String advice) {
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
        append(out, p, key, composites, advice);
      }
    }
    out.append(']');
  }

  private static @Nullable String scalar(Object part) {
    if (part instanceof CharSequence s) {
      return "s:" + s;
    } else if (part instanceof Long) {
      return "l:" + part;
    } else if (part instanceof Integer) {
      return "i:" + part;
    } else if (part instanceof Short) {
      return "h:" + part;
    } else if (part instanceof Byte) {
      return "b:" + part;
    } else if (part instanceof Double) {
      return "d:" + part;
    } else if (part instanceof Float) {
      return "f:" + part;
    } else if (part instanceof Boolean) {
      return "z:" + part;
    } else if (part instanceof Character) {
      return "c:" + part;
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
