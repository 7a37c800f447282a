package io.lamina.testkit.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The topologies form, fail over when a master dies, take back a restarted member, and leave nothing behind. */
class TopologiesIT {

  @Test
  void redisCluster_formsThreeMastersAndThreeReplicas_andAKilledMastersReplicaTakesOver() {
    Path workDir;
    try (RedisCluster cluster = RedisCluster.start()) {
      assertThat(cluster.masters()).hasSize(3);
      assertThat(cluster.replicas()).hasSize(3);
      RedisServer master = cluster.masterOf("k");
      master.command("SET", "k", "v");
      RedisServer replica = cluster.replicaOf(master);
      cluster.awaitReplicated(master, replica);
      assertThat(replica.command("INFO", "keyspace").toString()).contains("keys=1");

      master.kill();
      cluster.awaitHealthy();
      assertThat(cluster.masterOf("k")).isSameAs(replica);
      assertThat(replica.command("GET", "k")).isEqualTo("v");

      master.restart(); // rejoins as a replica of its former replica
      cluster.awaitHealthy();
      assertThat(cluster.replicas()).contains(master);
      cluster.failover(master);
      assertThat(cluster.masterOf("k")).isSameAs(master);
      workDir = Path.of(String.valueOf(master.command("CONFIG", "GET", "dir")).replaceAll("^\\[dir, |]$", ""));
      assertThat(workDir).exists();
    }
    assertThat(Files.exists(workDir)).as("work directory deleted").isFalse();
  }

  @Test
  void sentinelGroup_failsOverOnRequest_andWhenTheMasterIsKilled() {
    try (RedisSentinelGroup group = RedisSentinelGroup.start()) {
      RedisServer first = group.master();
      assertThat(first).isSameAs(group.servers().get(0));
      assertThat(group.replicas()).hasSize(2);

      RedisServer second = group.failover();
      assertThat(second).isNotSameAs(first);
      group.awaitHealthy();

      second.kill();
      RedisServer third = group.awaitMasterOtherThan(second);
      assertThat(third).isNotSameAs(second);
      assertThat(third.command("SET", "k", "v")).isEqualTo("OK");
    }
  }

  @Test
  void natsCluster_formsWithJetStream_andTakesBackAKilledMember() {
    try (NatsCluster cluster = NatsCluster.start()) {
      assertThat(cluster.urls().split(",")).hasSize(3);
      for (NatsServer m : cluster.members()) {
        assertThat(m.info()).contains("\"jetstream\":true").contains("\"cluster\":\"lamina\"");
      }
      NatsServer victim = cluster.members().get(0);
      victim.kill();
      cluster.awaitHealthy();
      victim.restart();
      cluster.awaitHealthy();
      assertThat(victim.info()).contains("connect_urls");
    }
  }
}
