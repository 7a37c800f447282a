package io.lamina.redis;

import io.lamina.spi.Roster;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import org.redisson.api.RScript;
import org.redisson.api.RedissonClient;
import org.redisson.client.codec.ByteArrayCodec;

/** A namespace's live nodes in one sorted set, expiry on the Redis server's clock (one key: Cluster-safe). */
final class RedisRoster implements Roster {

  private final RedissonClient client;
  private final String key;

  RedisRoster(RedissonClient client, String key) {
    this.client = client;
    this.key = key;
  }

  @Override
  public CompletionStage<Set<String>> renew(String node, long ttlMillis) {
    CompletionStage<List<Object>> call = client.getScript(ByteArrayCodec.INSTANCE).evalAsync(
        RScript.Mode.READ_WRITE, Scripts.ROSTER, RScript.ReturnType.LIST, List.of(key),
        node.getBytes(StandardCharsets.UTF_8), Long.toString(ttlMillis).getBytes(StandardCharsets.US_ASCII));
    return call.thenApply(members -> {
      Set<String> out = new HashSet<>();
      for (Object m : members) {
        out.add(m instanceof byte[] b ? new String(b, StandardCharsets.UTF_8) : String.valueOf(m));
      }
      return out;
    });
  }

  /** The run id of the roster's primary: it changes on a failover or a restart (rule 9). */
  @Override
  public CompletionStage<String> serverIdentity() {
    CompletionStage<Object> call = client.getScript(org.redisson.client.codec.StringCodec.INSTANCE).evalAsync(
        RScript.Mode.READ_WRITE, Scripts.IDENTITY, RScript.ReturnType.VALUE, List.of(key));
    return call.thenApply(id -> id == null ? "" : id.toString());
  }

  @Override
  public CompletionStage<Void> leave(String node) {
    return client.getScoredSortedSet(key, org.redisson.client.codec.StringCodec.INSTANCE).removeAsync(node)
        .thenApply(removed -> null);
  }
}
