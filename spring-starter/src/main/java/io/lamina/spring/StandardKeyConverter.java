package io.lamina.spring;

import io.lamina.CanonicalKeys;
import java.lang.reflect.Field;
import java.util.Arrays;
import org.springframework.cache.interceptor.SimpleKey;
import org.springframework.util.ReflectionUtils;

/**
 * {@link CacheKeyConverter#standard()}: {@link CanonicalKeys} with Spring's {@link SimpleKey} printed as the list
 * of its parameters. Every scalar carries its type ({@code 42L} is {@code l:42}, {@code "42"} is {@code s:42}),
 * so methods whose keys differ only in type never share an entry.
 */
final class StandardKeyConverter implements CacheKeyConverter {

  static final StandardKeyConverter INSTANCE = new StandardKeyConverter();

  private static final CanonicalKeys.Composites SPRING = key -> key instanceof SimpleKey simpleKey
      ? Arrays.asList(params(simpleKey)) : null;

  private StandardKeyConverter() {}

  @Override
  public String toId(Object key) {
    return CanonicalKeys.toId(key, SPRING,
        " (for example @Cacheable(key = \"#p0.id\")), or declare a CacheKeyConverter bean");
  }

  /** SimpleKey hides its parameters; its toString is "SimpleKey [a,b]" with no escaping, so read the array. */
  private static Object[] params(SimpleKey key) {
    Field field = ReflectionUtils.findField(SimpleKey.class, "params");
    if (field == null) {
      throw new IllegalStateException("SimpleKey has no 'params' field in this Spring version; declare a"
          + " CacheKeyConverter bean");
    }
    ReflectionUtils.makeAccessible(field);
    Object[] params = (Object[]) ReflectionUtils.getField(field, key);
    return params != null ? params : new Object[0];
  }
}
