package io.lamina.testkit.server;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;

/**
 * A Redis Cluster of three masters and three replicas, {@code redis-server --cluster-enabled yes} child processes
 * on free loopback ports, each with its own work directory (its {@code nodes.conf} survives a restart, so a
 * restarted member rejoins as itself). Built with {@code CLUSTER ADDSLOTSRANGE}, {@code MEET} and
 * {@code REPLICATE} — what {@code redis-cli --cluster create} does, without its one-second waits — and ready
 * when every member reports {@code cluster_state:ok} and every replica's link is up.
 *
 * <p>A short node timeout ({@link #NODE_TIMEOUT}) makes a killed master's replica take over within about two
 * seconds. Members are {@link RedisServer}s: kill, pause, resume and restart them; {@link #failover(RedisServer)}
 * promotes a replica on purpose. Roles move, so ask {@link #masters()} and {@link #masterOf(String)} after a fault.
 */
public final class RedisCluster implements AutoCloseable {

  /** {@code cluster-node-timeout}: how long a member may be silent before it is considered failing. */
  public static final Duration NODE_TIMEOUT = Duration.ofMillis(1_000);
  private static final Duration READY_TIMEOUT = Duration.ofSeconds(30);
  private static final int SLOTS = 16_384;

  private final List<RedisServer> members;
  private final Map<RedisServer, String> ids = new HashMap<>();

  private RedisCluster(List<RedisServer> members) {
    this.members = List.copyOf(members);
  }

  /** Starts six members and forms the cluster; {@code extraArgs} go to every member. */
  public static RedisCluster start(String... extraArgs) {
    Path binary = Topologies.binary(ServerKind.REDIS);
    List<String> args = new ArrayList<>(List.of("--cluster-enabled", "yes", "--cluster-config-file", "nodes.conf",
        "--cluster-node-timeout", Long.toString(NODE_TIMEOUT.toMillis()), "--cluster-replica-validity-factor", "0",
        "--appendonly", "no", "--repl-diskless-sync-delay", "0"));
    args.addAll(List.of(extraArgs));
    List<RedisServer> started = new ArrayList<>();
    try {
      for (int i = 0; i < 6; i++) {
        started.add(RedisServer.start(binary, args.toArray(new String[0])));
      }
      RedisCluster cluster = new RedisCluster(started);
      cluster.form();
      return cluster;
    } catch (RuntimeException e) {
      started.forEach(RedisServer::close);
      throw e;
    }
  }

  private void form() {
    for (RedisServer m : members) {
      ids.put(m, String.valueOf(m.command("CLUSTER", "MYID")));
    }
    for (int i = 0; i < 3; i++) {
      RedisServer master = members.get(i);
      int from = i * SLOTS / 3;
      int to = (i + 1) * SLOTS / 3 - 1;
      master.command("CLUSTER", "ADDSLOTSRANGE", Integer.toString(from), Integer.toString(to));
      master.command("CLUSTER", "SET-CONFIG-EPOCH", Integer.toString(i + 1));
    }
    RedisServer first = members.get(0);
    for (RedisServer m : members.subList(1, members.size())) {
      first.command("CLUSTER", "MEET", m.host(), Integer.toString(m.port()));
    }
    Topologies.await("every member to know the six", READY_TIMEOUT, () -> members.stream()
        .allMatch(m -> nodes(m).stream().filter(n -> !n.flags().contains("handshake")).count() == 6));
    for (int i = 3; i < 6; i++) {
      RedisServer replica = members.get(i);
      String masterId = Objects.requireNonNull(ids.get(members.get(i - 3)), "a master's node id");
      Topologies.await("replica " + replica.port() + " to see its master", READY_TIMEOUT,
          () -> nodes(replica).stream().anyMatch(n -> n.id().equals(masterId)));
      replica.command("CLUSTER", "REPLICATE", masterId);
    }
    awaitHealthy();
  }

  /**
   * Waits until every running member says {@code cluster_state:ok}, every slot range has a live master, every
   * running master serves slots, and every running replica's link to its master is up (so a write acknowledged
   * now can reach a replica).
   */
  public void awaitHealthy() {
    Topologies.await("the cluster to be healthy", READY_TIMEOUT, () -> {
      for (RedisServer m : running()) {
        if (!String.valueOf(m.command("CLUSTER", "INFO")).contains("cluster_state:ok")) {
          return false;
        }
        String role = m.info("replication", "role");
        if (role.equals("slave") && !"up".equals(m.info("replication", "master_link_status"))) {
          return false;
        }
        if (role.equals("master") && nodes(m).stream().noneMatch(n -> n.flags().contains("myself") && n.hasSlots())) {
          return false; // a restarted master that has not yet learned it was replaced
        }
      }
      return masters().size() == 3;
    });
  }

  /** Every member, in start order (the first three started as masters). */
  public List<RedisServer> members() {
    return members;
  }

  /** The running members that are masters now and serve slots. */
  public List<RedisServer> masters() {
    return withRole("master");
  }

  /** The slots of {@code master} that hold at least one key now (read with {@code KEYS}: for tests only). */
  public List<Long> slotsWithKeys(RedisServer master) {
    TreeSet<Long> slots = new TreeSet<>();
    if (master.commandBytes(Resp.utf8("KEYS", "*")) instanceof List<?> keys) {
      for (Object key : keys) {
        byte[][] keyslot = {Resp.utf8("CLUSTER")[0], Resp.utf8("KEYSLOT")[0], (byte[]) Objects.requireNonNull(key)};
        slots.add((Long) Objects.requireNonNull(master.commandBytes(keyslot)));
      }
    }
    return new ArrayList<>(slots);
  }

  /**
   * Moves {@code slots} from {@code from} to {@code to}, keys included, while clients keep working, as
   * {@code redis-cli --cluster reshard} does, one slot at a time: mark it importing on the target and migrating on
   * the source, {@code MIGRATE} its keys in batches, then give it to the target on every master. Meanwhile a client
   * asking the source for a key already moved gets {@code ASK}, and a command or script whose keys are split
   * between the two gets {@code TRYAGAIN}. Returns the number of keys moved.
   */
  public long migrateSlots(RedisServer from, RedisServer to, List<Long> slots) {
    String fromId = Objects.requireNonNull(ids.get(from), "the source's node id");
    String toId = Objects.requireNonNull(ids.get(to), "the target's node id");
    long moved = 0;
    for (long slot : slots) {
      String s = Long.toString(slot);
      to.command("CLUSTER", "SETSLOT", s, "IMPORTING", fromId);
      from.command("CLUSTER", "SETSLOT", s, "MIGRATING", toId);
      while (true) {
        Object keys = from.commandBytes(Resp.utf8("CLUSTER", "GETKEYSINSLOT", s, "100"));
        if (!(keys instanceof List<?> list) || list.isEmpty()) {
          break;
        }
        List<byte[]> migrate = new ArrayList<>(List.of(Resp.utf8("MIGRATE", to.host(), Integer.toString(to.port()),
            "", "0", "5000", "KEYS")));
        for (Object key : list) {
          migrate.add((byte[]) Objects.requireNonNull(key, "a key"));
        }
        from.commandBytes(migrate.toArray(new byte[0][])); // an error reply throws
        moved += list.size();
      }
      to.command("CLUSTER", "SETSLOT", s, "NODE", toId);
      from.command("CLUSTER", "SETSLOT", s, "NODE", toId);
      for (RedisServer m : masters()) {
        if (m != from && m != to) {
          m.command("CLUSTER", "SETSLOT", s, "NODE", toId);
        }
      }
    }
    return moved;
  }

  /** The running members that are replicas now. */
  public List<RedisServer> replicas() {
    return withRole("slave");
  }

  private List<RedisServer> withRole(String role) {
    List<RedisServer> out = new ArrayList<>();
    for (RedisServer m : running()) {
      if (role.equals(m.info("replication", "role"))
          && (!role.equals("master") || nodes(m).stream().anyMatch(n -> n.flags().contains("myself") && n.hasSlots()))) {
        out.add(m);
      }
    }
    return out;
  }

  /** The master serving {@code key}'s slot now, as the running members see it. */
  public RedisServer masterOf(String key) {
    long slot = (Long) Objects.requireNonNull(running().get(0).command("CLUSTER", "KEYSLOT", key), "KEYSLOT");
    for (RedisServer m : masters()) {
      if (servesSlot(m, slot)) {
        return m;
      }
    }
    throw new IllegalStateException("no running master serves slot " + slot + " of " + key);
  }

  /** A running replica of {@code master}. */
  public RedisServer replicaOf(RedisServer master) {
    String id = Objects.requireNonNull(ids.get(master), "not a master of this cluster: " + master);
    for (RedisServer r : replicas()) {
      if (nodes(r).stream().anyMatch(n -> n.flags().contains("myself") && id.equals(n.masterId()))) {
        return r;
      }
    }
    throw new IllegalStateException("no running replica of " + master);
  }

  /** Waits until {@code replica} has applied everything its master had written when this was called. */
  public void awaitReplicated(RedisServer master, RedisServer replica) {
    long written = Long.parseLong(master.info("replication", "master_repl_offset"));
    Topologies.await(replica + " to catch up with " + master, READY_TIMEOUT,
        () -> Long.parseLong(replica.info("replication", "slave_repl_offset")) >= written);
  }

  /**
   * Promotes {@code replica} with {@code CLUSTER FAILOVER} (its master agrees and hands over without losing
   * acknowledged writes) and waits until the cluster is healthy with it as a master.
   */
  public void failover(RedisServer replica) {
    long[] asked = {0};
    Topologies.await(replica + " to become a master", READY_TIMEOUT, () -> {
      if ("master".equals(replica.info("replication", "role"))) {
        return true;
      }
      if (System.nanoTime() - asked[0] > 5_000_000_000L) { // a manual failover that timed out is asked again
        replica.command("CLUSTER", "FAILOVER");
        asked[0] = System.nanoTime();
      }
      return false;
    });
    awaitHealthy();
  }

  /** The members' addresses, {@code redis://127.0.0.1:port}, as a client's seed list. */
  public List<String> addresses() {
    return members.stream().map(RedisServer::url).toList();
  }

  @Override
  public void close() {
    members.forEach(RedisServer::close);
  }

  private List<RedisServer> running() {
    return members.stream().filter(RedisServer::isAnswering).toList();
  }

  private boolean servesSlot(RedisServer m, long slot) {
    for (Node n : nodes(m)) {
      if (n.flags().contains("myself")) {
        return n.slots().stream().anyMatch(r -> r[0] <= slot && slot <= r[1]);
      }
    }
    return false;
  }

  /** One line of {@code CLUSTER NODES}. */
  record Node(String id, String address, String flags, String masterId, List<long[]> slots) {
    boolean hasSlots() {
      return !slots.isEmpty();
    }
  }

  static List<Node> nodes(RedisServer m) {
    List<Node> out = new ArrayList<>();
    for (String line : String.valueOf(m.command("CLUSTER", "NODES")).split("\n")) {
      String[] f = line.trim().split(" ");
      if (f.length < 8) {
        continue;
      }
      List<long[]> slots = new ArrayList<>();
      for (int i = 8; i < f.length; i++) {
        if (f[i].startsWith("[")) {
          continue; // a slot being migrated
        }
        String[] range = f[i].split("-");
        long from = Long.parseLong(range[0]);
        slots.add(new long[] {from, range.length > 1 ? Long.parseLong(range[1]) : from});
      }
      out.add(new Node(f[0], f[1], f[2], f[3], slots));
    }
    return out;
  }
}
