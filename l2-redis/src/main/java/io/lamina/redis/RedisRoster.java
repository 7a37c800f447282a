package io.lamina.redis;

import io.lamina.spi.Roster;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.redisson.api.RScript;
import org.redisson.api.RedissonClient;
import org.redisson.api.redisnode.RedisClusterMaster;
import org.redisson.api.redisnode.RedisNode;
import org.redisson.api.redisnode.RedisNodes;
import org.redisson.client.codec.ByteArrayCodec;
import org.redisson.client.codec.StringCodec;

/**
 * A namespace's live nodes in one sorted set, expiry on the Redis server's clock (one key, so one slot on a
 * Cluster: every node renews the same key, a few bytes per node per heartbeat, nothing to spread).
 */
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

  /**
   * Who answers as primary, so that a change shows a failover or a restart (rule 9). With one primary (a single
   * server, or Sentinel's current master) it is the run id of the server answering for the roster's key. On a
   * Cluster every master holds entries and each can fail over on its own, so it is the sorted run ids of every
   * master Redisson routes to: one master replaced (a promoted replica has its own run id), restarted empty, or
   * added by a resharding changes it. A planned {@code CLUSTER FAILOVER} changes it too, and costs one flush:
   * cheaper than telling a safe failover from an unsafe one. A master that does not answer leaves the identity
   * unknown for this round (the caller asks again).
   */
  @Override
  public CompletionStage<String> serverIdentity() {
    if (client.getConfig().isClusterConfig()) {
      return clusterIdentity();
    }
    CompletionStage<Object> call = client.getScript(StringCodec.INSTANCE).evalAsync(
        RScript.Mode.READ_WRITE, Scripts.IDENTITY, RScript.ReturnType.VALUE, List.of(key));
    return call.thenApply(id -> id == null ? "" : id.toString());
  }

  private CompletionStage<String> clusterIdentity() {
    List<CompletableFuture<String>> runIds = new ArrayList<>();
    for (RedisClusterMaster master : client.getRedisNodes(RedisNodes.CLUSTER).getMasters()) {
      runIds.add(master.infoAsync(RedisNode.InfoSection.SERVER).toCompletableFuture()
          .thenApply(info -> info.getOrDefault("run_id", "")));
    }
    return CompletableFuture.allOf(runIds.toArray(new CompletableFuture<?>[0])).thenApply(done -> {
      List<String> ids = new ArrayList<>();
      for (CompletableFuture<String> id : runIds) {
        String runId = id.join();
        if (runId.isEmpty()) {
          return "";
        }
        ids.add(runId);
      }
      Collections.sort(ids);
      return String.join(",", ids);
    });
  }

  @Override
  public CompletionStage<Void> leave(String node) {
    return client.getScoredSortedSet(key, StringCodec.INSTANCE).removeAsync(node)
        .thenApply(removed -> null);
  }
}
