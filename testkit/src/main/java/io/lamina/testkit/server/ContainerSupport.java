package io.lamina.testkit.server;

/**
 * Whether Testcontainers can run here. Testcontainers is an optional dependency: without it on the classpath,
 * or without a Docker engine, containers are simply not an option.
 */
final class ContainerSupport {

  private ContainerSupport() {}

  /** A started container: where it listens, and how to stop it. */
  record Started(String host, int port, AutoCloseable stopper) {}

  /** Starts {@code image} exposing {@code port} through Testcontainers; only call when Docker is available. */
  static Started start(String image, int port) {
    try {
      Class<?> type = Class.forName("org.testcontainers.containers.GenericContainer");
      Object container = type.getConstructor(String.class).newInstance(image);
      type.getMethod("withExposedPorts", Integer[].class).invoke(container, (Object) new Integer[] {port});
      type.getMethod("start").invoke(container);
      String host = (String) type.getMethod("getHost").invoke(container);
      int mapped = (Integer) type.getMethod("getMappedPort", int.class).invoke(container, port);
      return new Started(host, mapped, () -> type.getMethod("stop").invoke(container));
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException("cannot start container " + image, e);
    }
  }

  static boolean dockerAvailable() {
    try {
      Class<?> factory = Class.forName("org.testcontainers.DockerClientFactory");
      Object instance = factory.getMethod("instance").invoke(null);
      return (Boolean) factory.getMethod("isDockerAvailable").invoke(instance);
    } catch (ReflectiveOperationException | LinkageError | RuntimeException e) {
      return false;
    }
  }
}
