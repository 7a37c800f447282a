package io.lamina.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lamina.spi.RemoteEntry;
import io.lamina.spi.RemoteEntry.Lease;
import io.lamina.spi.RemoteEntry.State;
import io.lamina.spi.RemoteStoreSpec;
import io.lamina.spi.Version;
import io.lamina.testkit.server.RedisServer;
import io.lamina.testkit.server.WithRedis;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.redisson.api.RedissonClient;
import org.redisson.client.RedisTimeoutException;

/**
 * A hit is read with one plain HMGET and no script; whatever the HMGET cannot vouch for (an older writer's entry,
 * a passed expiry, a miss) is read by the script, with the same answer as before.
 */
@WithRedis
class PlainHitIT {

  private static final AtomicInteger CACHES = new AtomicInteger();
  private static final byte[] PAYLOAD = "payload".getBytes(StandardCharsets.UTF_8);
  private static RedisServer redis;
  private static RedissonClient client;
  private final AtomicLong wallClock = new AtomicLong();
  private RemoteStoreSpec spec;
  private RedissonRemoteStore store;

  @BeforeAll
  static void connect(RedisServer server) {
    redis = server;
    client = RedisClients.connect(server);
  }

  @AfterAll
  static void disconnect() {
    client.shutdown();
  }

  @BeforeEach
  void open() {
    spec = new RemoteStoreSpec("plain", "c" + CACHES.incrementAndGet(), 1, List.of(), Duration.ofMinutes(1));
    wallClock.set(System.currentTimeMillis());
    store = new RedissonRemoteStore(client, spec, wallClock::get);
  }

  @Test
  void aValue_isReadWithOneHmget_andItsRemainingTimeIsTheKeys() {
    Version written = join(store.putVersioned("k", 7, PAYLOAD, 60_000)).version();
    long scripts = scriptCalls();
    long hmgets = redis.commandCalls("hmget");
    wallClock.set(System.currentTimeMillis()); // the same clock as the local server's

    RemoteEntry hit = join(store.read("k", "token", 1_000));

    assertThat(scriptCalls()).as("no script").isEqualTo(scripts);
    assertThat(redis.commandCalls("hmget")).isEqualTo(hmgets + 1);
    assertThat(hit.state()).isEqualTo(State.VALUE);
    assertThat(hit.payload()).isEqualTo(PAYLOAD);
    assertThat(hit.version()).isEqualTo(written);
    assertThat(hit.lease()).as("a hit asks for no lease, as read.lua answers").isEqualTo(Lease.NOT_REQUESTED);
    long pttl = (Long) redis.commandWithKey("PTTL", spec.key("k"));
    assertThat(hit.remainingTtlMillis()).isBetween(pttl - 1_000, 60_000L);
  }

  @Test
  void aNegativeResultFilledUnderALease_isReadWithOneHmget() {
    assertThat(join(store.read("k", "token", 1_000)).lease()).isEqualTo(Lease.GRANTED);
    assertThat(join(store.fill("k", "token", null, 30_000, -1)).stored()).isTrue();
    long scripts = scriptCalls();
    wallClock.set(System.currentTimeMillis());

    RemoteEntry hit = join(store.read("k", null, 0));

    assertThat(scriptCalls()).isEqualTo(scripts);
    assertThat(hit.state()).isEqualTo(State.NEGATIVE);
    assertThat(hit.payload()).isNull();
    assertThat(hit.remainingTtlMillis()).isBetween(1L, 30_000L);
  }

  @Test
  void anEntryWithoutExpiryField_asAnOlderLaminaWritesIt_isReadByTheScript() {
    join(store.putVersioned("k", 7, PAYLOAD, 60_000));
    redis.commandWithKey("HDEL", spec.key("k"), "x");
    assertOneScriptRead(State.VALUE);
  }

  @Test
  void anExpiryFieldOfAnOlderCounter_isNotTrusted() {
    join(store.putVersioned("k", 7, PAYLOAD, 60_000));
    // An older Lamina's write: a new counter and payload, x left as the previous write set it.
    redis.commandWithKey("HINCRBY", spec.key("k"), "c", "1");
    redis.commandWithKey("PEXPIRE", spec.key("k"), "5000");
    RemoteEntry entry = assertOneScriptRead(State.VALUE);
    assertThat(entry.version().counter()).isEqualTo(2);
    assertThat(entry.remainingTtlMillis()).as("the key's own PTTL").isBetween(1L, 5_000L);
  }

  @Test
  void anExpiryPassedByThisNodesClock_isLeftToTheScript() {
    join(store.putVersioned("k", 7, PAYLOAD, 60_000));
    wallClock.addAndGet(61_000); // this node's clock runs ahead of Redis'
    assertOneScriptRead(State.VALUE);
  }

  @Test
  void aTombstone_andAMissingKey_areReadByTheScript_whichGrantsTheLease() {
    join(store.putVersioned("k", 7, PAYLOAD, 60_000));
    join(store.tombstone("k"));
    assertThat(redis.commandWithKey("HEXISTS", spec.key("k"), "x")).as("a tombstone drops x").isEqualTo(0L);
    assertThat(assertOneScriptRead(State.TOMBSTONE).lease()).isEqualTo(Lease.GRANTED);
    long scripts = scriptCalls();
    assertThat(join(store.read("absent", "token", 1_000)).lease()).isEqualTo(Lease.GRANTED);
    assertThat(scriptCalls()).isEqualTo(scripts + 1);
  }

  @Test
  void aKeyOfAnotherType_isUnreadable_throughTheScript() {
    redis.commandWithKey("SET", spec.key("k"), "someone else's string");
    assertOneScriptRead(State.CORRUPT);
  }

  @Test
  void aBulkReadOfHits_isOnePipelinedHmgetPerEntry_andNoScript() {
    List<String> ids = putValues(150);
    long scripts = scriptCalls();
    long hmgets = redis.commandCalls("hmget");
    wallClock.set(System.currentTimeMillis());

    List<RemoteEntry> read = join(store.readAll(ids, null, 0));

    assertThat(scriptCalls()).as("script calls").isEqualTo(scripts);
    assertThat(redis.commandCalls("hmget")).as("HMGETs").isEqualTo(hmgets + 150);
    assertThat(read).hasSize(150).allSatisfy(e -> {
      assertThat(e.state()).isEqualTo(State.VALUE);
      assertThat(e.payload()).isEqualTo(PAYLOAD);
      assertThat(e.remainingTtlMillis()).isBetween(1L, 60_000L);
    });
  }

  @Test
  void aBulkRead_checksWhatItCannotVouchFor_withTheReadAllScript_inOrder() {
    Version hit = join(store.putVersioned("hit", 1, PAYLOAD, 60_000)).version();
    join(store.putVersioned("tomb", 1, PAYLOAD, 60_000));
    join(store.tombstone("tomb"));
    join(store.putVersioned("old", 1, PAYLOAD, 60_000));
    redis.commandWithKey("HDEL", spec.key("old"), "x");
    redis.commandWithKey("SET", spec.key("string"), "someone else's string");
    long scripts = scriptCalls();
    wallClock.set(System.currentTimeMillis());

    List<RemoteEntry> read = join(store.readAll(List.of("tomb", "hit", "absent", "old", "string"),
        List.of("t1", "t2", "t3", "t4", "t5"), 1_000));

    assertThat(scriptCalls()).as("after the HMGETs, read-all.lua for the four they could not vouch for")
        .isEqualTo(scripts + 1);
    assertThat(read).extracting(RemoteEntry::state)
        .containsExactly(State.TOMBSTONE, State.VALUE, State.ABSENT, State.VALUE, State.CORRUPT);
    assertThat(read).extracting(RemoteEntry::lease)
        .containsExactly(Lease.GRANTED, Lease.NOT_REQUESTED, Lease.GRANTED, Lease.NOT_REQUESTED, Lease.NOT_REQUESTED);
    assertThat(read.get(1).version()).isEqualTo(hit);
    assertThat(read.get(3).payload()).isEqualTo(PAYLOAD);
    assertThat(redis.commandWithKey("HGET", spec.key("absent"), "l")).as("the lease is held in Redis")
        .isEqualTo("t3".getBytes(StandardCharsets.UTF_8));
  }

  /** A bulk read that Redis does not answer fails, rather than answering with what it could not read. */
  @Test
  void aBulkReadThatRedisDoesNotAnswer_fails() {
    join(store.putVersioned("a", 1, PAYLOAD, 60_000));
    join(store.putVersioned("b", 1, PAYLOAD, 60_000));
    CompletableFuture<List<RemoteEntry>> read;
    redis.pause();
    try {
      read = store.readAll(List.of("a", "b"), null, 0).toCompletableFuture();
      assertThatThrownBy(() -> read.get(10, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
          .hasRootCauseInstanceOf(RedisTimeoutException.class);
    } finally {
      redis.resume();
    }
  }

  /** A wrapped client's bulk read checks its hits with read-plain.lua, one call per chunk, with the same answers. */
  @Test
  void aWrappedClientsBulkRead_isOneUncheckedScriptCallPerChunk() {
    List<String> ids = putValues(150); // two chunks
    join(store.putVersioned("tomb", 1, PAYLOAD, 60_000));
    join(store.tombstone("tomb"));
    ids.add(75, "tomb");
    store = new RedissonRemoteStore(wrapped(), spec, wallClock::get);
    long scripts = scriptCalls();
    wallClock.set(System.currentTimeMillis());

    List<RemoteEntry> read = join(store.readAll(ids, null, 0));

    assertThat(scriptCalls()).as("read-plain.lua per chunk, then read-all.lua for the tombstone")
        .isEqualTo(scripts + 3);
    assertThat(read).hasSize(151);
    assertThat(read.get(75).state()).isEqualTo(State.TOMBSTONE);
    assertThat(read.subList(0, 75)).allSatisfy(e -> assertThat(e.payload()).isEqualTo(PAYLOAD));
    assertThat(read.subList(76, 151)).allSatisfy(e -> assertThat(e.payload()).isEqualTo(PAYLOAD));
  }

  /** The HMGET needs Redisson's own executor to reach the primary; a wrapped client reads with the script. */
  @Test
  void aClientThatIsNotRedissonsOwn_readsWithTheScript_andGetsTheSameAnswer() {
    Version written = join(store.putVersioned("k", 7, PAYLOAD, 60_000)).version();
    store = new RedissonRemoteStore(wrapped(), spec, wallClock::get);

    RemoteEntry entry = assertOneScriptRead(State.VALUE);

    assertThat(entry.version()).isEqualTo(written);
    assertThat(entry.payload()).isEqualTo(PAYLOAD);
  }

  private RemoteEntry assertOneScriptRead(State expected) {
    long scripts = scriptCalls();
    RemoteEntry entry = join(store.read("k", "token", 1_000));
    assertThat(scriptCalls()).isEqualTo(scripts + 1);
    assertThat(entry.state()).isEqualTo(expected);
    return entry;
  }

  /** Writes values under k0 … k{n-1} and returns their ids. */
  private List<String> putValues(int n) {
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      ids.add("k" + i);
      join(store.putVersioned("k" + i, 1, PAYLOAD, 60_000));
    }
    return ids;
  }

  /** The shared client behind a proxy: a client that is not Redisson's own. */
  private RedissonClient wrapped() {
    return (RedissonClient) Proxy.newProxyInstance(getClass().getClassLoader(),
        new Class<?>[] {RedissonClient.class}, (proxy, method, args) -> {
          try {
            return method.invoke(client, args);
          } catch (InvocationTargetException e) {
            throw e.getCause();
          }
        });
  }

  private static long scriptCalls() {
    return redis.commandCalls("eval") + redis.commandCalls("evalsha");
  }

  private static <T> T join(CompletionStage<T> stage) {
    return stage.toCompletableFuture().join();
  }
}
