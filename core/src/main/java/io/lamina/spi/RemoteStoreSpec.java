package io.lamina.spi;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * What a remote tier needs to know to open one cache's {@link RemoteStore}.
 *
 * <p>Keys are laid out as {@code <namespace>:<cacheName>:<schemaVersion>:<id>}. Namespace and cache name are
 * restricted to {@code [A-Za-z0-9._-]}, so the prefix never contains a separator or a pattern character. An id
 * containing <code>{</code> is written after an empty hash tag (<code>{}</code>), so on Redis Cluster the whole key
 * is hashed and no id can choose its slot (see {@link #key(int, String)}).
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

  /** The key of {@code id} under the current schema version; see {@link #key(int, String)}. */
  public String key(String id) {
    return key(schemaVersion, id);
  }

  /**
   * The key of {@code id} under schema {@code version}. Redis Cluster hashes only the part between the first
   * <code>{</code> and the next <code>}</code> when that part is not empty, so an id like <code>{user}:1</code>
   * would choose its own slot (and put every such key on one node). An id containing <code>{</code> is therefore
   * preceded by <code>{}</code>: an empty first tag, which makes Redis hash the whole key. Ids without
   * <code>{</code> keep their plain key, and no two ids share a key (only ids with <code>{</code> get the mark).
   */
  public String key(int version, String id) {
    String prefix = keyPrefix(version);
    return id.indexOf('{') < 0 ? prefix + id : prefix + "{}" + id;
  }
}
