package io.lamina.spring.autoconfigure;

import io.lamina.spring.LaminaCaches;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.cache.interceptor.CacheOperation;
import org.springframework.cache.interceptor.CacheOperationSource;
import org.springframework.cache.interceptor.CachePutOperation;
import org.springframework.cache.interceptor.CacheableOperation;
import org.springframework.core.ResolvableType;
import org.springframework.util.ClassUtils;
import org.springframework.util.ReflectionUtils;

/**
 * Finds, at start-up, the values a Fory-encoded cache could not store: for every {@code @Cacheable} and
 * {@code @CachePut} method of the application's beans, the classes its return type names (inside
 * {@code Optional}, futures, Reactor types, arrays and generic arguments) must be JDK types or covered by the
 * cache's {@code value-types}. Without this a missing class shows only on the first call, as Fory's own error.
 * Return types that name no class ({@code Object}, a type variable) cannot be checked here; for them the codec's
 * error at run time names the setting (see {@link CacheFactory}).
 */
final class ValueTypesCheck {

  /** Types whose value is what they wrap: Spring caches the content, not the wrapper. */
  private static final Set<String> WRAPPERS = Set.of("java.util.Optional",
      "java.util.concurrent.CompletableFuture", "java.util.concurrent.CompletionStage",
      "java.util.concurrent.Future", "reactor.core.publisher.Mono", "reactor.core.publisher.Flux");

  private final ConfigurableListableBeanFactory beans;
  private final CacheOperationSource operations;
  private final LaminaCaches caches;
  private final CacheFactory factory;

  ValueTypesCheck(ConfigurableListableBeanFactory beans, CacheOperationSource operations, LaminaCaches caches,
      CacheFactory factory) {
    this.beans = beans;
    this.operations = operations;
    this.caches = caches;
    this.factory = factory;
  }

  /**
   * Checks every annotated method.
   *
   * @throws InvalidConfigurationPropertyValueException naming {@code lamina.caches.<name>.value-types}, the
   *     classes missing and the methods that return them
   */
  void check() {
    Map<String, Map<String, Set<String>>> missing = new LinkedHashMap<>(); // cache -> class -> methods
    for (String bean : beans.getBeanDefinitionNames()) {
      Class<?> type = beans.getType(bean, false);
      if (type == null) {
        continue;
      }
      Class<?> user = ClassUtils.getUserClass(type);
      if (!operations.isCandidateClass(user)) {
        continue;
      }
      for (Method method : ReflectionUtils.getUniqueDeclaredMethods(user, ReflectionUtils.USER_DECLARED_METHODS)) {
        Collection<CacheOperation> ops = operations.getCacheOperations(method, user);
        if (ops == null) {
          continue;
        }
        for (CacheOperation op : ops) {
          if (!(op instanceof CacheableOperation || op instanceof CachePutOperation)
              || !op.getCacheManager().isEmpty() || !op.getCacheResolver().isEmpty()) {
            continue; // an eviction stores nothing; another manager's caches are not Lamina's
          }
          for (String cache : op.getCacheNames()) {
            check(cache, method, user, missing);
          }
        }
      }
    }
    if (missing.isEmpty()) {
      return;
    }
    Map.Entry<String, Map<String, Set<String>>> first = missing.entrySet().iterator().next();
    String cache = first.getKey();
    List<String> what = new ArrayList<>();
    first.getValue().forEach((c, methods) -> what.add(c + " (returned by " + String.join(", ", methods) + ")"));
    List<Class<?>> registered = factory.foryValueTypes(cache);
    throw new InvalidConfigurationPropertyValueException("lamina.caches." + cache + ".value-types",
        registered == null ? List.of() : registered.stream().map(Class::getName).toList(),
        "cache '" + cache + "' encodes values for Redis with the fory codec, which stores only JDK types and the"
            + " classes registered here, but its methods return " + String.join("; ", what) + ". Add "
            + String.join(", ", first.getValue().keySet()) + " (and the non-JDK classes they hold) to lamina.caches."
            + cache + ".value-types, or choose another lamina.caches." + cache + ".codec"
            + (missing.size() > 1 ? " (caches " + String.join(", ", missing.keySet()) + " miss classes too)" : ""));
  }

  private void check(String cache, Method method, Class<?> owner, Map<String, Map<String, Set<String>>> missing) {
    if (caches.getOrCreate(cache) == null) {
      return; // not a cache of Lamina's: Spring reports it on the first call
    }
    List<Class<?>> registered = factory.foryValueTypes(cache);
    if (registered == null) {
      return; // no Redis for this cache, or another codec
    }
    Set<Class<?>> named = new LinkedHashSet<>();
    collect(ResolvableType.forMethodReturnType(method, owner), named, 0);
    for (Class<?> c : named) {
      if (registered.stream().noneMatch(c::isAssignableFrom)) {
        missing.computeIfAbsent(cache, k -> new LinkedHashMap<>())
            .computeIfAbsent(c.getName(), k -> new LinkedHashSet<>())
            .add(owner.getName() + "." + method.getName());
      }
    }
  }

  /** The classes {@code type} names that are neither JDK types nor unknowable. */
  private static void collect(ResolvableType type, Set<Class<?>> out, int depth) {
    Class<?> raw = type.resolve();
    if (raw == null || depth > 10 || raw == Object.class) {
      return; // unknowable here
    }
    if (raw.isArray()) {
      collect(type.getComponentType(), out, depth + 1);
      return;
    }
    if (!raw.isPrimitive() && !WRAPPERS.contains(raw.getName()) && !raw.getName().startsWith("java.")) {
      out.add(raw);
    }
    for (ResolvableType argument : type.getGenerics()) {
      collect(argument, out, depth + 1);
    }
  }
}
