package io.lamina.spring;

import java.lang.reflect.Array;
import java.lang.reflect.RecordComponent;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Duration;
import java.time.Period;
import java.time.temporal.TemporalAccessor;
import java.util.List;
import java.util.UUID;
import org.springframework.cache.interceptor.SimpleKey;
import org.springframework.util.ReflectionUtils;

/**
 * {@link CacheKeyConverter#standard()}. Scalars print as themselves; composites print as {@code [a,b]} (records
 * as {@code Name[a,b]}) with {@code \}, {@code ,}, {@code [} and {@code ]} escaped inside each part and null as
 * {@code \0}, so no composite can print like a scalar or like another composite.
 */
final class StandardKeyConverter implements CacheKeyConverter {

  static final StandardKeyConverter INSTANCE = new StandardKeyConverter();

  private StandardKeyConverter() {}

  @Override
  public String toId(Object key) {
    StringBuilder out = new StringBuilder();
    append(out, key, key);
    return out.toString();
  }

  @SuppressWarnings("ReferenceEquality") // the message says "inside" only when part is not the key itself
  private void append(StringBuilder out, Object part, Object key) {
    String scalar = scalar(part);
    if (scalar != null) {
      escape(out, scalar);
    } else if (part instanceof SimpleKey simpleKey) {
      // SimpleKey hides its parameters; its toString is "SimpleKey [a,b]" with no escaping, so read the array.
      Object[] params = params(simpleKey);
      list(out, "", java.util.Arrays.asList(params), key);
    } else if (part instanceof Record record) {
      RecordComponent[] components = record.getClass().getRecordComponents();
      Object[] values = new Object[components.length];
      for (int i = 0; i < components.length; i++) {
        try {
          values[i] = components[i].getAccessor().invoke(record);
        } catch (ReflectiveOperationException e) {
          throw new IllegalArgumentException("cannot read component " + components[i].getName() + " of key "
              + record.getClass().getName(), e);
        }
      }
      list(out, record.getClass().getSimpleName(), java.util.Arrays.asList(values), key);
    } else if (part instanceof List<?> list) {
      list(out, "", list, key);
    } else if (part.getClass().isArray()) {
      int n = Array.getLength(part);
      Object[] values = new Object[n];
      for (int i = 0; i < n; i++) {
        values[i] = Array.get(part, i);
      }
      list(out, "", java.util.Arrays.asList(values), key);
    } else {
      throw new IllegalArgumentException("a cache key of type " + part.getClass().getName()
          + (part == key ? "" : " (inside " + key.getClass().getName() + ")")
          + " has no canonical id: its toString() may differ between instances or collide. Use a String, number,"
          + " UUID, enum, java.time value or a record of those (for example @Cacheable(key = \"#p0.id\")), or"
          + " declare a CacheKeyConverter bean");
    }
  }

  private void list(StringBuilder out, String prefix, List<?> parts, Object key) {
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

  private static @org.jspecify.annotations.Nullable String scalar(Object part) {
    if (part instanceof CharSequence || part instanceof Boolean || part instanceof Character
        || part instanceof UUID || part instanceof BigInteger || part instanceof BigDecimal
        || part instanceof Long || part instanceof Integer || part instanceof Short || part instanceof Byte
        || part instanceof Double || part instanceof Float) {
      return part.toString();
    }
    if (part instanceof Enum<?> e) {
      return e.name();
    }
    if ((part instanceof TemporalAccessor || part instanceof Duration || part instanceof Period)
        && part.getClass().getName().startsWith("java.time.")) {
      return part.toString();
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

  private static Object[] params(SimpleKey key) {
    java.lang.reflect.Field field = ReflectionUtils.findField(SimpleKey.class, "params");
    if (field == null) {
      throw new IllegalStateException("SimpleKey has no 'params' field in this Spring version; declare a"
          + " CacheKeyConverter bean");
    }
    ReflectionUtils.makeAccessible(field);
    Object[] params = (Object[]) ReflectionUtils.getField(field, key);
    return params != null ? params : new Object[0];
  }
}
