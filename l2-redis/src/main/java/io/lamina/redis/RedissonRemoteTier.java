package io.lamina.redis;

import io.lamina.spi.RemoteStore;
import io.lamina.spi.RemoteStoreSpec;
import io.lamina.spi.RemoteTier;
import io.lamina.spi.Roster;
import java.util.Objects;
import org.redisson.api.RedissonClient;

/**
 * The remote tier on Redis, through a {@link RedissonClient} the application owns (and closes).
 *
 * <p>Each entry is one Redis hash under {@code <namespace>:<cache>:<schemaVersion>:<id>} holding the state, the
 * version (incarnation, counter), the lease token and its expiry, the highest source version seen and the
 * payload. Every write is one Lua script on one key, so it is atomic on the key's primary and safe on Redis
 * Cluster; a read of a value is one plain HMGET ({@code PlainHit}), anything else it finds is read by a script;
 * bulk operations are pipelined in one Redisson batch. Ids never reach a pattern: clearing a cache
 * scans its own prefix only.
 *
 * <p>Timeouts and retries are the client's ({@code timeout}, {@code retryAttempts}); the facade bounds every
 * wait with its own remote timeout on top. Keep the client's script cache on (Redisson's default) so scripts
 * travel as SHA digests.
 */
public final class RedissonRemoteTier implements RemoteTier {

  private final RedissonClient client;

  private RedissonRemoteTier(RedissonClient client) {
    this.client = client;
  }

  /** A remote tier on {@code client}, which stays the application's to close. */
  public static RedissonRemoteTier of(RedissonClient client) {
    return new RedissonRemoteTier(Objects.requireNonNull(client, "client"));
  }

  @Override
  public RemoteStore open(RemoteStoreSpec spec) {
    return new RedissonRemoteStore(client, spec);
  }

  @Override
  public String name() {
    return "redis";
  }

  /** The roster of {@code namespace}: a sorted set under {@code <namespace>:~roster}, scored by expiry. */
  @Override
  public Roster roster(String namespace) {
    return new RedisRoster(client, namespace + ":~roster");
  }
}
