package io.lamina.quarkus.deployment;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.jboss.jandex.AnnotationInstance;
import org.jboss.jandex.AnnotationTarget;
import org.jboss.jandex.AnnotationValue;
import org.jboss.jandex.DotName;
import org.jboss.jandex.IndexView;
import org.jboss.jandex.Type;

/**
 * The classes each cache holds, read from its {@code @CacheResult} methods' return types: inside {@code Uni},
 * {@code CompletionStage} and {@code CompletableFuture}, every class named in the type (a {@code List<Product>}
 * gives {@code Product}), JDK classes left out (the codecs know them). They become the codec's registered types
 * when {@code value-types} is not set.
 */
final class ValueTypes {

  private static final DotName CACHE_RESULT = DotName.createSimple("io.quarkus.cache.CacheResult");
  private static final Set<DotName> WRAPPERS = Set.of(DotName.createSimple("io.smallrye.mutiny.Uni"),
      DotName.createSimple("java.util.concurrent.CompletionStage"),
      DotName.createSimple("java.util.concurrent.CompletableFuture"));

  private ValueTypes() {}

  static Map<String, Set<String>> fromCacheResults(IndexView index) {
    Map<String, Set<String>> types = new LinkedHashMap<>();
    for (AnnotationInstance a : index.getAnnotations(CACHE_RESULT)) {
      if (a.target().kind() != AnnotationTarget.Kind.METHOD) {
        continue;
      }
      AnnotationValue name = a.value("cacheName");
      if (name == null) {
        continue;
      }
      Set<String> classes = types.computeIfAbsent(name.asString(), k -> new TreeSet<>());
      collect(a.target().asMethod().returnType(), classes);
    }
    return types;
  }

  private static void collect(Type type, Set<String> out) {
    switch (type.kind()) {
      case CLASS -> add(type.name(), out);
      case ARRAY -> collect(type.asArrayType().elementType(), out);
      case PARAMETERIZED_TYPE -> {
        if (!WRAPPERS.contains(type.name())) {
          add(type.name(), out);
        }
        for (Type argument : type.asParameterizedType().arguments()) {
          collect(argument, out);
        }
      }
      case WILDCARD_TYPE -> {
        Type bound = type.asWildcardType().extendsBound();
        if (bound != null) {
          collect(bound, out);
        }
      }
      default -> {
        // primitives, void, type variables: nothing to register
      }
    }
  }

  private static void add(DotName name, Set<String> out) {
    String n = name.toString();
    if (!n.startsWith("java.") && !n.startsWith("javax.") && !n.startsWith("jakarta.")) {
      out.add(n);
    }
  }
}
