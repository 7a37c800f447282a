package io.lamina.testkit.server;

import java.util.Optional;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.platform.commons.support.AnnotationSupport;

/**
 * Resolves {@link RedisServer} and {@link NatsServer} parameters for classes annotated {@link WithRedis} /
 * {@link WithNats}: from an explicit URL, a child process, or a container, in that order; skips the test when
 * none is available, or fails it when {@code lamina.it.required=true}.
 */
public final class ServerExtension implements ParameterResolver {

  private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(ServerExtension.class);

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    Class<?> type = parameter.getParameter().getType();
    return type == RedisServer.class || type == NatsServer.class;
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    Class<?> type = parameter.getParameter().getType();
    ExtensionContext classContext = classContext(context);
    Class<?> testClass = classContext.getRequiredTestClass();
    ExtensionContext.Store store = classContext.getStore(NAMESPACE);
    if (type == RedisServer.class) {
      String[] args = AnnotationSupport.findAnnotation(testClass, WithRedis.class).map(WithRedis::args)
          .orElse(new String[0]);
      return store.getOrComputeIfAbsent(RedisServer.class, k -> new Holder(startRedis(args)), Holder.class).server;
    }
    Optional<WithNats> nats = AnnotationSupport.findAnnotation(testClass, WithNats.class);
    boolean jetStream = nats.map(WithNats::jetStream).orElse(false);
    String[] args = nats.map(WithNats::args).orElse(new String[0]);
    return store.getOrComputeIfAbsent(NatsServer.class, k -> new Holder(startNats(jetStream, args)), Holder.class)
        .server;
  }

  private static ExtensionContext classContext(ExtensionContext context) {
    ExtensionContext c = context;
    while (c.getTestMethod().isPresent() && c.getParent().isPresent()) {
      c = c.getParent().get();
    }
    return c;
  }

  static RedisServer startRedis(String... args) {
    ServerResolution r = ServerResolution.resolve(ServerKind.REDIS);
    return switch (r.source()) {
      case EXPLICIT_URL -> RedisServer.external(r.requireUrl());
      case CHILD_PROCESS -> RedisServer.start(r.requireBinary(), args);
      case CONTAINER -> RedisServer.container();
      case MISSING -> throw missing(r);
    };
  }

  static NatsServer startNats(boolean jetStream, String... args) {
    ServerResolution r = ServerResolution.resolve(ServerKind.NATS);
    return switch (r.source()) {
      case EXPLICIT_URL -> NatsServer.external(r.requireUrl());
      case CHILD_PROCESS -> NatsServer.start(r.requireBinary(), jetStream, args);
      case CONTAINER -> NatsServer.container();
      case MISSING -> throw missing(r);
    };
  }

  private static RuntimeException missing(ServerResolution r) {
    if (r.required()) {
      Assertions.fail(r.missingMessage());
    }
    Assumptions.abort(r.missingMessage());
    throw new ParameterResolutionException(r.missingMessage());
  }

  /** Stops the server when the class's store closes. */
  private static final class Holder implements ExtensionContext.Store.CloseableResource {
    final AutoCloseable server;

    Holder(AutoCloseable server) {
      this.server = server;
    }

    @Override
    public void close() throws Exception {
      server.close();
    }
  }
}
