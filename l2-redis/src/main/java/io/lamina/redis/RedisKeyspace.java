package io.lamina.redis;

import io.lamina.spi.RemoteStoreSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.redisson.api.RKeys;
import org.redisson.api.RedissonClient;
import org.redisson.api.options.KeysScanOptions;

/**
 * Whole-cache operations on the keyspace: SCAN with a pattern built only from the cache's own prefix (whose
 * parts are validated names and digits; pattern characters are escaped all the same), UNLINK in chunks. On a
 * Cluster, Redisson scans every master.
 */
final class RedisKeyspace {

  private static final int CHUNK = 500;

  private final RedissonClient client;
  private final RemoteStoreSpec spec;

  RedisKeyspace(RedissonClient client, RemoteStoreSpec spec) {
    this.client = client;
    this.spec = spec;
  }

  /** Unlinks every key of the cache under the current and previous schema versions. */
  CompletionStage<Void> clear() {
    List<String> prefixes = new ArrayList<>();
    prefixes.add(spec.keyPrefix());
    spec.previousSchemaVersions().forEach(v -> prefixes.add(spec.keyPrefix(v)));
    // SCAN iterates in blocking steps: keep it off Redisson's event loop.
    return CompletableFuture.runAsync(() -> prefixes.forEach(this::unlinkAll));
  }

  private void unlinkAll(String prefix) {
    RKeys keys = client.getKeys();
    List<String> chunk = new ArrayList<>(CHUNK);
    for (String key : keys.getKeys(KeysScanOptions.defaults().pattern(escape(prefix) + "*").chunkSize(CHUNK))) {
      chunk.add(key);
      if (chunk.size() == CHUNK) {
        keys.unlink(chunk.toArray(new String[0]));
        chunk.clear();
      }
    }
    if (!chunk.isEmpty()) {
      keys.unlink(chunk.toArray(new String[0]));
    }
  }

  static String escape(String literal) {
    StringBuilder out = new StringBuilder(literal.length());
    for (char c : literal.toCharArray()) {
      if (c == '*' || c == '?' || c == '[' || c == ']' || c == '\\') {
        out.append('\\');
      }
      out.append(c);
    }
    return out.toString();
  }
}
