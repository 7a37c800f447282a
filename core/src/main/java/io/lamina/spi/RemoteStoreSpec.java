package io.lamina.spi;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * What a remote tier needs to know to open one cache's {@link RemoteStore}.
 *
 * <p>Keys are laid out as {@code <namespace>:<cacheName>:<schemaVersion>:<id>}. Namespace and cache name are
 * restricted to {@code [A-Za-z0-9._-]}, so the prefix never contains a separator or a pattern character.
 *
 * @param namespace the service's namespace
 * @param cacheName the cache's name
 * @param schemaVersion the schema version values are written under
 * @param previousSchemaVersions older schema versions still in service; writes tombstone them too
 * @param tombstoneTtl how long a tombstone (and the highest source version it remembers) is kept
 */
public record RemoteStoreSpec(
    String namespace,
    String cacheName,
    int schemaVersion,
    List<Integer> previousSchemaVersions,
    Duration tombstoneTtl) {

  public RemoteStoreSpec {
    Objects.requireNonNull(namespace, "namespace");
    Objects.requireNonNull(cacheName, "cacheName");
    previousSchemaVersions = List.copyOf(previousSchemaVersions);
    Objects.requireNonNull(tombstoneTtl, "tombstoneTtl");
  }

  /** The key prefix of the current schema version, ending with the separator. */
  public String keyPrefix() {
    return keyPrefix(schemaVersion);
  }

  /** The key prefix of {@code version}, ending with the separator. */
  public String keyPrefix(int version) {
    return namespace + ':' + cacheName + ':' + version + ':';
  }
}
