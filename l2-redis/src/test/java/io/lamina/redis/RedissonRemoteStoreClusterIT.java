package io.lamina.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.lamina.spi.RemoteEntry;
import io.lamina.spi.RemoteEntry.Lease;
import io.lamina.spi.RemoteEntry.State;
import io.lamina.spi.RemoteStore;
import io.lamina.spi.RemoteStoreSpec;
import io.lamina.testkit.contract.RemoteStoreContract;
import io.lamina.testkit.server.RedisCluster;
import io.lamina.testkit.server.RedisServer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.redisson.api.RedissonClient;

/** The remote store contract on a Redis Cluster of three masters and three replicas: every script and pipelined batch must address only the slots its keys hash to. */
class RedissonRemoteStoreClusterIT extends RemoteStoreContract {

  private static final byte[] PAYLOAD = "payload".getBytes(StandardCharsets.UTF_8);
  private static RedisCluster cluster;
  private static RedissonClient client;

  @BeforeAll
  static void connect() {
    cluster = RedisCluster.start();
    client = RedisClients.connect(cluster);
  }

  @AfterAll
  static void disconnect() {
    if (client != null) {
      client.shutdown();
    }
    if (cluster != null) {
      cluster.close();
    }
  }

  @Override
  protected RemoteStore open(RemoteStoreSpec spec) {
    return RedissonRemoteTier.of(client).open(spec);
  }

  /**
   * A bulk read of hits spread over the masters is one plain HMGET per entry, each sent to its key's master, and
   * no script; a miss among them is read again by read.lua, which grants its lease.
   */
  @Test
  void aBulkReadOfHits_isPlainHmgetsOnEachKeysMaster_andAMissIsReadByTheScript() {
    RemoteStoreSpec spec = new RemoteStoreSpec("cluster-bulk", "c", 1, List.of(), Duration.ofMinutes(1));
    RemoteStore store = open(spec);
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < 30; i++) {
      ids.add("k" + i);
      store.putVersioned("k" + i, 1, PAYLOAD, 60_000).toCompletableFuture().join();
    }
    ids.add(15, "absent");
    assertThat(cluster.masters()).allSatisfy(m -> assertThat(ids.stream()
        .filter(id -> cluster.masterOf(spec.key(id)).equals(m)).count()).as("keys on a master").isPositive());
    Map<RedisServer, Long> hmgets = calls("hmget");
    Map<RedisServer, Long> scripts = calls("evalsha");

    List<RemoteEntry> read = store.readAll(ids, Collections.nCopies(ids.size(), "t"), 1_000).toCompletableFuture()
        .join();

    assertThat(read).hasSize(31);
    assertThat(read.get(15).state()).isEqualTo(State.ABSENT);
    assertThat(read.get(15).lease()).isEqualTo(Lease.GRANTED);
    assertThat(read.subList(0, 15)).allSatisfy(e -> assertThat(e.payload()).isEqualTo(PAYLOAD));
    assertThat(read.subList(16, 31)).allSatisfy(e -> assertThat(e.payload()).isEqualTo(PAYLOAD));
    RedisServer absentMaster = cluster.masterOf(spec.key("absent"));
    for (RedisServer m : cluster.masters()) {
      long keys = ids.stream().filter(id -> cluster.masterOf(spec.key(id)).equals(m)).count();
      // Redis counts the HMGETs a script makes too: read.lua's, of the absent entry, come on top.
      assertThat(m.commandCalls("hmget") - hmgets.get(m)).as("HMGETs on a master")
          .isGreaterThanOrEqualTo(keys).isLessThanOrEqualTo(m.equals(absentMaster) ? keys + 2 : keys);
      assertThat(m.commandCalls("evalsha") + m.commandCalls("eval") - scripts.get(m)).as("scripts on a master")
          .isEqualTo(m.equals(absentMaster) ? 1 : 0);
    }
  }

  private static Map<RedisServer, Long> calls(String command) {
    Map<RedisServer, Long> calls = new HashMap<>();
    for (RedisServer m : cluster.masters()) {
      calls.put(m, "evalsha".equals(command) ? m.commandCalls("evalsha") + m.commandCalls("eval")
          : m.commandCalls(command));
    }
    return calls;
  }

  @Override
  protected void evict(RemoteStoreSpec spec, String id) {
    cluster.masterOf(spec.key(id)).commandWithKey("DEL", spec.key(id));
  }
}
