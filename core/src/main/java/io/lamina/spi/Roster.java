package io.lamina.spi;

import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * The live nodes of a namespace, kept in the remote tier: each node renews its own membership with a time to
 * live, so a crashed node drops out, while a node cut off from the bus (but not from the remote tier) stays in
 * and keeps its peers suspicious.
 */
public interface Roster {

  /** Renews {@code node}'s membership for {@code ttlMillis} and returns every member now alive. */
  CompletionStage<Set<String>> renew(String node, long ttlMillis);

  /** Removes {@code node} (a goodbye). */
  CompletionStage<Void> leave(String node);

  /**
   * Who is answering as the primary now: a value that changes when another server takes over (a failover) or the
   * server restarts, such as Redis's run id. Empty when the tier cannot tell; then no failover is detected.
   */
  default CompletionStage<String> serverIdentity() {
    return CompletableFuture.completedFuture("");
  }
}
