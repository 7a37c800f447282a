package io.lamina.testkit.server;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import org.jspecify.annotations.Nullable;

/**
 * Decides where a test's server comes from: an explicit URL, else a child process from the PATH, else a
 * container when Docker is available, else nothing — and whether "nothing" skips the test or fails it
 * ({@code lamina.it.required=true}, as CI runs).
 *
 * @param kind the server
 * @param source where it comes from
 * @param url the explicit URL, for {@link Source#EXPLICIT_URL}
 * @param binary the executable, for {@link Source#CHILD_PROCESS}
 * @param required whether a missing server fails instead of skipping
 */
public record ServerResolution(ServerKind kind, Source source, @Nullable String url, @Nullable Path binary,
    boolean required) {

  /** Where a server comes from. */
  public enum Source { EXPLICIT_URL, CHILD_PROCESS, CONTAINER, MISSING }

  /** Property that makes a missing server a failure. */
  public static final String REQUIRED_PROPERTY = "lamina.it.required";

  /** Resolves from this JVM's system properties, environment and PATH. */
  public static ServerResolution resolve(ServerKind kind) {
    Map<String, String> props = new HashMap<>();
    System.getProperties().forEach((k, v) -> props.put(String.valueOf(k), String.valueOf(v)));
    return resolve(kind, props, System.getenv(), ContainerSupport::dockerAvailable);
  }

  /** Resolves from the given properties and environment; {@code docker} says whether containers can run. */
  public static ServerResolution resolve(ServerKind kind, Map<String, String> properties, Map<String, String> env,
      BooleanSupplier docker) {
    boolean required = Boolean.parseBoolean(properties.getOrDefault(REQUIRED_PROPERTY, "false"));
    String url = nonBlank(properties.get(kind.property));
    if (url == null) {
      url = nonBlank(env.get(kind.environmentVariable));
    }
    if (url != null) {
      return new ServerResolution(kind, Source.EXPLICIT_URL, url, null, required);
    }
    Optional<Path> binary = findBinary(kind.binary, env.getOrDefault("PATH", ""));
    if (binary.isPresent()) {
      return new ServerResolution(kind, Source.CHILD_PROCESS, null, binary.get(), required);
    }
    if (docker.getAsBoolean()) {
      return new ServerResolution(kind, Source.CONTAINER, null, null, required);
    }
    return new ServerResolution(kind, Source.MISSING, null, null, required);
  }

  /** The explicit URL; only for {@link Source#EXPLICIT_URL}. */
  public String requireUrl() {
    if (url == null) {
      throw new IllegalStateException(kind + " was not given by URL but by " + source);
    }
    return url;
  }

  /** The executable; only for {@link Source#CHILD_PROCESS}. */
  public Path requireBinary() {
    if (binary == null) {
      throw new IllegalStateException(missingMessage());
    }
    return binary;
  }

  /** The message a test gets when no server could be found. */
  public String missingMessage() {
    return "no " + kind.binary + " for this test: set -D" + kind.property + " or " + kind.environmentVariable
        + ", install " + kind.binary + " (apt-get install " + kind.binary + "), or run Docker"
        + (required ? " (" + REQUIRED_PROPERTY + "=true, so this fails instead of skipping)" : "");
  }

  static Optional<Path> findBinary(String name, String path) {
    List<String> dirs = new ArrayList<>(List.of(path.split(File.pathSeparator)));
    dirs.addAll(ServerKind.EXTRA_DIRECTORIES);
    for (String dir : dirs) {
      if (dir.isBlank()) {
        continue;
      }
      Path candidate = Path.of(dir, name);
      if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
        return Optional.of(candidate);
      }
    }
    return Optional.empty();
  }

  private static @Nullable String nonBlank(@Nullable String s) {
    return s == null || s.isBlank() ? null : s.trim();
  }
}
