package io.lamina.testkit.server;

import java.nio.file.Path;
import java.time.Duration;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/** What the multi-server topologies share: finding their binary, and waiting for a condition with a bound. */
final class Topologies {

  private Topologies() {}

  /**
   * The binary a topology runs as child processes. A topology cannot be given by URL (its faults need the
   * processes), so a missing binary skips the test, or fails it under {@code lamina.it.required=true}.
   */
  static Path binary(ServerKind kind) {
    ServerResolution r = ServerResolution.resolve(kind);
    return ServerResolution.findBinary(kind.binary, System.getenv().getOrDefault("PATH", "")).orElseGet(() -> {
      if (r.required()) {
        Assertions.fail(r.missingMessage());
      }
      Assumptions.abort(r.missingMessage());
      throw new IllegalStateException(r.missingMessage());
    });
  }

  /** Polls {@code condition} every 20 ms until it holds; throws naming {@code what} after {@code timeout}. */
  static void await(String what, Duration timeout, BooleanSupplier condition) {
    long deadline = System.nanoTime() + timeout.toNanos();
    RuntimeException last = null;
    while (System.nanoTime() < deadline) {
      try {
        if (condition.getAsBoolean()) {
          return;
        }
      } catch (RuntimeException e) {
        last = e; // a member still starting or failing over
      }
      ServerProcess.pause(20);
    }
    throw new IllegalStateException("timed out after " + timeout.toMillis() + " ms waiting for " + what, last);
  }
}
