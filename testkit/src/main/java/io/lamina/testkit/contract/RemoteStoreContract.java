package io.lamina.testkit.contract;

import static org.assertj.core.api.Assertions.assertThat;

import io.lamina.spi.FillResult;
import io.lamina.spi.RemoteEntry;
import io.lamina.spi.RemoteEntry.Lease;
import io.lamina.spi.RemoteEntry.State;
import io.lamina.spi.RemoteStore;
import io.lamina.spi.RemoteStoreSpec;
import io.lamina.spi.Version;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * What every {@link io.lamina.spi.RemoteStore} must do: the versions, leases, tombstones, intents and source
 * versions the facade's guards rely on. Subclass it, open stores on the tier under test, and give the suite a way
 * to remove a key behind the store's back (eviction or expiry).
 *
 * <p>Past 400 lines because it is the list of those rules, one short test each; split, a store's author would
 * have to find and subclass several suites to know they had run them all.
 */
public abstract class RemoteStoreContract {

  private static final AtomicLong CACHES = new AtomicLong();
  protected static final long LEASE = 10_000;
  protected static final long TTL = 60_000;

  protected RemoteStoreSpec spec;
  protected RemoteStore store;

  /** Opens a store for {@code spec} on the tier under test. */
  protected abstract RemoteStore open(RemoteStoreSpec spec);

  /** Removes the key of {@code id} (current schema version) as eviction or expiry would. */
  protected abstract void evict(RemoteStoreSpec spec, String id);

  @BeforeEach
  void openStore() {
    spec = new RemoteStoreSpec("contract", "c" + CACHES.incrementAndGet() + "-" + System.nanoTime(), 2, List.of(1),
        Duration.ofMinutes(5));
    store = open(spec);
  }

  protected static <T> T join(CompletionStage<T> stage) {
    try {
      return stage.toCompletableFuture().get(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new AssertionError("remote call failed", e);
    }
  }

  protected static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private FillResult loadAndFill(String id, String token, String value) {
    RemoteEntry miss = join(store.read(id, token, LEASE));
    assertThat(miss.lease()).isEqualTo(Lease.GRANTED);
    return join(store.fill(id, token, bytes(value), TTL, RemoteStore.NO_SOURCE_VERSION));
  }

  @Test
  void read_ofAbsentKey_withoutLease_isAbsent() {
    RemoteEntry e = join(store.read("nothing", null, LEASE));
    assertThat(e.state()).isEqualTo(State.ABSENT);
    assertThat(e.isHit()).isFalse();
    assertThat(e.lease()).isEqualTo(Lease.NOT_REQUESTED);
  }

  @Test
  void lease_isGrantedOnce_thenHeldByOther() {
    assertThat(join(store.read("k", "t1", LEASE)).lease()).isEqualTo(Lease.GRANTED);
    RemoteEntry held = join(store.read("k", "t2", LEASE));
    assertThat(held.lease()).isEqualTo(Lease.HELD_BY_OTHER);
    assertThat(held.remainingTtlMillis()).as("the lease's remaining time").isBetween(LEASE - 2_000, LEASE);
  }

  @Test
  void lease_heldUnderTheCallersOwnToken_isGrantedAgain_andStillFillable() {
    assertThat(join(store.read("k", "node-a", LEASE)).lease()).isEqualTo(Lease.GRANTED);
    assertThat(join(store.read("k", "node-a", LEASE)).lease()).as("node A's read that gave up, then its next")
        .isEqualTo(Lease.GRANTED);
    assertThat(join(store.read("k", "node-b", LEASE)).lease()).isEqualTo(Lease.HELD_BY_OTHER);
    assertThat(join(store.fill("k", "node-a", bytes("v"), TTL, RemoteStore.NO_SOURCE_VERSION)).stored()).isTrue();
    assertThat(join(store.readAll(List.of("k2", "k2"), List.of("node-a", "node-a"), LEASE))
        .stream().map(RemoteEntry::lease).toList()).containsExactly(Lease.GRANTED, Lease.GRANTED);
  }

  @Test
  void fill_withTheLease_storesAValue_andBumpsTheVersion() {
    RemoteEntry miss = join(store.read("k", "t1", LEASE));
    FillResult r = join(store.fill("k", "t1", bytes("v1"), TTL, RemoteStore.NO_SOURCE_VERSION));
    assertThat(r.stored()).isTrue();
    assertThat(r.version().isNewerThan(miss.version())).isTrue();
    RemoteEntry hit = join(store.read("k", "t9", LEASE));
    assertThat(hit.state()).isEqualTo(State.VALUE);
    assertThat(hit.payload()).isEqualTo(bytes("v1"));
    assertThat(hit.version()).isEqualTo(r.version());
    assertThat(hit.lease()).isEqualTo(Lease.NOT_REQUESTED);
    assertThat(hit.remainingTtlMillis()).isBetween(1L, TTL);
  }

  @Test
  void idsWithBraces_eachHaveTheirOwnEntry() {
    List<String> ids = List.of("x", "{}x", "{t}1", "{}{t}1", "{t}2", "{");
    for (String id : ids) {
      join(store.read(id, "t1", LEASE));
      assertThat(join(store.fill(id, "t1", bytes("v" + id), TTL, RemoteStore.NO_SOURCE_VERSION)).stored()).isTrue();
    }
    for (String id : ids) {
      assertThat(join(store.read(id, null, LEASE)).payload()).as(id).isEqualTo(bytes("v" + id));
    }
    evict(spec, "{t}1");
    assertThat(join(store.read("{t}1", null, LEASE)).state()).isEqualTo(State.ABSENT);
    assertThat(join(store.read("{}{t}1", null, LEASE)).payload()).isEqualTo(bytes("v{}{t}1"));
  }

  @Test
  void fill_withoutPayload_storesANegativeResult() {
    join(store.read("k", "t1", LEASE));
    assertThat(join(store.fill("k", "t1", null, TTL, RemoteStore.NO_SOURCE_VERSION)).stored()).isTrue();
    RemoteEntry e = join(store.read("k", null, LEASE));
    assertThat(e.state()).isEqualTo(State.NEGATIVE);
    assertThat(e.isHit()).isTrue();
    assertThat(e.payload()).isNull();
  }

  @Test
  void fill_withAnotherToken_isRejected() {
    join(store.read("k", "t1", LEASE));
    assertThat(join(store.fill("k", "t2", bytes("x"), TTL, RemoteStore.NO_SOURCE_VERSION)).stored()).isFalse();
    assertThat(join(store.fill("k", "t1", bytes("v"), TTL, RemoteStore.NO_SOURCE_VERSION)).stored()).isTrue();
    assertThat(join(store.fill("k", "t1", bytes("again"), TTL, RemoteStore.NO_SOURCE_VERSION)).stored())
        .as("a lease is consumed").isFalse();
  }

  @Test
  void fill_afterATombstone_isRejected_andTheTombstoneIsNewer() {
    RemoteEntry miss = join(store.read("k", "t1", LEASE));
    Version tomb = join(store.tombstone("k"));
    assertThat(tomb.isNewerThan(miss.version())).isTrue();
    FillResult r = join(store.fill("k", "t1", bytes("stale"), TTL, RemoteStore.NO_SOURCE_VERSION));
    assertThat(r.stored()).isFalse();
    assertThat(join(store.read("k", null, LEASE)).state()).isEqualTo(State.TOMBSTONE);
  }

  @Test
  void fill_afterTheKeyWasEvicted_isRejected_andNoVersionIsReused() {
    RemoteEntry miss = join(store.read("k", "t1", LEASE));
    evict(spec, "k");
    Version tomb = join(store.tombstone("k")); // a writer recreates the key: a new incarnation
    assertThat(join(store.fill("k", "t1", bytes("stale"), TTL, RemoteStore.NO_SOURCE_VERSION)).stored()).isFalse();
    assertThat(tomb.isNewerThan(miss.version())).isFalse();
    assertThat(miss.version().isNewerThan(tomb)).isFalse();
    assertThat(tomb.incarnation()).isNotEqualTo(miss.version().incarnation());
  }

  @Test
  void fill_afterEvictionWithNoWriter_isRejected() {
    join(store.read("k", "t1", LEASE));
    evict(spec, "k");
    assertThat(join(store.fill("k", "t1", bytes("v"), TTL, RemoteStore.NO_SOURCE_VERSION)).stored()).isFalse();
    assertThat(join(store.read("k", null, LEASE)).state()).isEqualTo(State.ABSENT);
  }

  @Test
  void lease_onATombstone_isGranted_andFillable() {
    join(store.tombstone("k"));
    assertThat(join(store.read("k", "t1", LEASE)).lease()).isEqualTo(Lease.GRANTED);
    assertThat(join(store.fill("k", "t1", bytes("v"), TTL, RemoteStore.NO_SOURCE_VERSION)).stored()).isTrue();
  }

  @Test
  void refreshLease_onAValueNearExpiry_isGrantedOnce_andItsFillReplacesTheValue() {
    FillResult first = loadAndFill("k", "t1", "v1");
    RemoteEntry granted = join(store.leaseForRefresh("k", "r1", LEASE, TTL));
    assertThat(granted.lease()).isEqualTo(Lease.GRANTED);
    assertThat(granted.state()).isEqualTo(State.VALUE);
    assertThat(join(store.leaseForRefresh("k", "r2", LEASE, TTL)).lease()).isEqualTo(Lease.HELD_BY_OTHER);
    RemoteEntry meanwhile = join(store.read("k", "t2", LEASE));
    assertThat(meanwhile.state()).as("readers still get the old value").isEqualTo(State.VALUE);
    assertThat(meanwhile.payload()).isEqualTo(bytes("v1"));
    FillResult refreshed = join(store.fill("k", "r1", bytes("v2"), TTL, RemoteStore.NO_SOURCE_VERSION));
    assertThat(refreshed.stored()).isTrue();
    assertThat(refreshed.version().isNewerThan(first.version())).isTrue();
    assertThat(join(store.read("k", null, LEASE)).payload()).isEqualTo(bytes("v2"));
  }

  @Test
  void refreshLease_farFromExpiry_orOnAMiss_isNotGranted() {
    loadAndFill("k", "t1", "v1");
    assertThat(join(store.leaseForRefresh("k", "r1", LEASE, 1_000)).lease()).isEqualTo(Lease.NOT_REQUESTED);
    assertThat(join(store.leaseForRefresh("absent", "r1", LEASE, TTL)).lease()).isEqualTo(Lease.NOT_REQUESTED);
    join(store.tombstone("k"));
    assertThat(join(store.leaseForRefresh("k", "r1", LEASE, TTL)).lease()).isEqualTo(Lease.NOT_REQUESTED);
  }

  @Test
  void refreshLease_isRevokedByAWrite() {
    loadAndFill("k", "t1", "v1");
    assertThat(join(store.leaseForRefresh("k", "r1", LEASE, TTL)).lease()).isEqualTo(Lease.GRANTED);
    join(store.tombstone("k"));
    assertThat(join(store.fill("k", "r1", bytes("stale"), TTL, RemoteStore.NO_SOURCE_VERSION)).stored()).isFalse();
    assertThat(join(store.read("k", null, LEASE)).state()).isEqualTo(State.TOMBSTONE);
  }

  @Test
  void intent_refusesLeasesAndFills_untilReplaced() {
    join(store.read("k", "t1", LEASE));
    Version intent = join(store.intent("k", 5_000));
    assertThat(join(store.fill("k", "t1", bytes("stale"), TTL, RemoteStore.NO_SOURCE_VERSION)).stored()).isFalse();
    RemoteEntry e = join(store.read("k", "t2", LEASE));
    assertThat(e.state()).isEqualTo(State.INTENT);
    assertThat(e.lease()).isEqualTo(Lease.REFUSED);
    assertThat(e.remainingTtlMillis()).isBetween(1L, 5_000L);
    Version tomb = join(store.tombstone("k"));
    assertThat(tomb.isNewerThan(intent)).isTrue();
    assertThat(join(store.read("k", "t3", LEASE)).lease()).isEqualTo(Lease.GRANTED);
  }

  @Test
  void putVersioned_storesNewerSourceVersions_only() {
    assertThat(join(store.putVersioned("k", 5, bytes("v5"), TTL)).stored()).isTrue();
    assertThat(join(store.putVersioned("k", 4, bytes("v4"), TTL)).stored()).isFalse();
    assertThat(join(store.putVersioned("k", 5, bytes("v5b"), TTL)).stored()).isFalse();
    assertThat(join(store.putVersioned("k", 6, bytes("v6"), TTL)).stored()).isTrue();
    assertThat(join(store.read("k", null, LEASE)).payload()).isEqualTo(bytes("v6"));
  }

  @Test
  void tombstone_remembersTheHighestSourceVersion() {
    join(store.putVersioned("k", 10, bytes("v10"), TTL));
    join(store.tombstone("k"));
    assertThat(join(store.putVersioned("k", 9, bytes("v9"), TTL)).stored()).isFalse();
    assertThat(join(store.putVersioned("k", 11, bytes("v11"), TTL)).stored()).isTrue();
  }

  @Test
  void fill_recordsTheSourceVersionItStores_soAnOlderPutIsRefused() {
    join(store.putVersioned("k", 10, bytes("v10"), TTL));
    join(store.tombstone("k"));
    join(store.read("k", "t1", LEASE));
    assertThat(join(store.fill("k", "t1", bytes("v12"), TTL, 12)).stored()).isTrue();
    assertThat(join(store.putVersioned("k", 11, bytes("v11"), TTL)).stored()).isFalse();
    assertThat(join(store.read("k", null, LEASE)).payload()).isEqualTo(bytes("v12"));
    assertThat(join(store.putVersioned("k", 13, bytes("v13"), TTL)).stored()).isTrue();
  }

  @Test
  void fill_ofAnOlderSourceVersion_keepsTheHigherOneRecorded() {
    join(store.putVersioned("k", 10, bytes("v10"), TTL));
    join(store.tombstone("k"));
    join(store.read("k", "t1", LEASE));
    join(store.fill("k", "t1", bytes("v8"), TTL, 8));
    assertThat(join(store.putVersioned("k", 9, bytes("v9"), TTL)).stored()).isFalse();
  }

  @Test
  void putVersioned_revokesALease() {
    join(store.read("k", "t1", LEASE));
    join(store.putVersioned("k", 1, bytes("written"), TTL));
    assertThat(join(store.fill("k", "t1", bytes("loaded"), TTL, RemoteStore.NO_SOURCE_VERSION)).stored()).isFalse();
    assertThat(join(store.read("k", null, LEASE)).payload()).isEqualTo(bytes("written"));
  }

  @Test
  void racingVersionedWriters_leaveTheHighestSourceVersion() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      for (int round = 0; round < 50; round++) {
        String id = "race-" + round;
        CountDownLatch go = new CountDownLatch(1);
        List<Future<?>> writers = new ArrayList<>();
        for (int w = 0; w < 4; w++) {
          int writer = w;
          writers.add(pool.submit(() -> {
            go.await();
            for (int v = writer; v < 40; v += 4) {
              join(store.putVersioned(id, v, bytes("v" + v), TTL));
            }
            return null;
          }));
        }
        go.countDown();
        for (Future<?> f : writers) {
          f.get(30, TimeUnit.SECONDS);
        }
        assertThat(join(store.read(id, null, LEASE)).payload()).as("round %d", round).isEqualTo(bytes("v39"));
      }
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void removeCorrupt_onlyWhenTheVersionIsUnchanged() {
    loadAndFill("k", "t1", "v");
    Version v = join(store.read("k", null, LEASE)).version();
    join(store.tombstone("k"));
    assertThat(join(store.removeCorrupt("k", v))).isFalse();
    join(store.read("k", "t2", LEASE));
    join(store.fill("k", "t2", bytes("v2"), TTL, RemoteStore.NO_SOURCE_VERSION));
    Version current = join(store.read("k", null, LEASE)).version();
    assertThat(join(store.removeCorrupt("k", current))).isTrue();
    assertThat(join(store.read("k", null, LEASE)).state()).isEqualTo(State.TOMBSTONE);
  }

  @Test
  void bulkCalls_answerInTheOrderAsked() {
    loadAndFill("a", "ta", "A");
    join(store.tombstone("b"));
    List<RemoteEntry> read = join(store.readAll(List.of("c", "a", "b"), List.of("tc", "ta2", "tb"), LEASE));
    assertThat(read).extracting(RemoteEntry::state).containsExactly(State.ABSENT, State.VALUE, State.TOMBSTONE);
    assertThat(read).extracting(RemoteEntry::lease).containsExactly(Lease.GRANTED, Lease.NOT_REQUESTED,
        Lease.GRANTED);
    List<FillResult> filled = join(store.fillAll(List.of(new RemoteStore.Fill("b", "tb", bytes("B"), TTL, RemoteStore.NO_SOURCE_VERSION),
        new RemoteStore.Fill("c", "wrong", bytes("C"), TTL, RemoteStore.NO_SOURCE_VERSION))));
    assertThat(filled).extracting(FillResult::stored).containsExactly(true, false);
    List<Version> tombs = join(store.tombstoneAll(List.of("a", "b")));
    assertThat(tombs).hasSize(2);
    assertThat(join(store.readAll(List.of("a", "b"), null, LEASE))).extracting(RemoteEntry::state)
        .containsOnly(State.TOMBSTONE);
  }

  /**
   * A bulk read of more keys than a store may read in one call (Redis: 100 per script) answers every key in order,
   * each with its own state and its own lease: a lease granted under one key's token fills that key only.
   */
  @Test
  void bulkReads_ofManyKeys_answerEachKeyInOrder_withItsOwnLease() {
    int n = 250;
    List<String> ids = new ArrayList<>();
    List<String> tokens = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      String id = "many" + i;
      ids.add(id);
      tokens.add("t" + i);
      switch (i % 4) {
        case 0 -> loadAndFill(id, "f" + i, "v" + i);
        case 1 -> join(store.tombstone(id));
        case 2 -> join(store.read(id, "other", LEASE));
        default -> { } // absent
      }
    }
    List<RemoteEntry> read = join(store.readAll(ids, tokens, LEASE));
    assertThat(read).hasSize(n);
    for (int i = 0; i < n; i++) {
      RemoteEntry e = read.get(i);
      State state = switch (i % 4) {
        case 0 -> State.VALUE;
        case 1 -> State.TOMBSTONE;
        case 2 -> e.state(); // how a lease is kept on a key without a value is the store's own
        default -> State.ABSENT;
      };
      Lease lease = switch (i % 4) {
        case 0 -> Lease.NOT_REQUESTED;
        case 2 -> Lease.HELD_BY_OTHER;
        default -> Lease.GRANTED;
      };
      assertThat(e.state()).as(ids.get(i)).isEqualTo(state);
      assertThat(e.lease()).as(ids.get(i)).isEqualTo(lease);
      if (i % 4 == 0) {
        assertThat(e.payload()).as(ids.get(i)).isEqualTo(bytes("v" + i));
      }
    }
    assertThat(join(store.fill("many7", "t3", bytes("x"), TTL, RemoteStore.NO_SOURCE_VERSION)).stored())
        .as("another key's token").isFalse();
    assertThat(join(store.fill("many3", "t3", bytes("x"), TTL, RemoteStore.NO_SOURCE_VERSION)).stored()).isTrue();
    assertThat(join(store.fill("many249", "t249", bytes("x"), TTL, RemoteStore.NO_SOURCE_VERSION)).stored())
        .as("the last key, in the last call").isTrue();
  }

  /**
   * A repair's fence: a versioned put that failed from its writer's view may still land later (the client sends
   * it again after a timeout). Once the repair's fenced tombstone is in place, it cannot.
   */
  @Test
  void fencedTombstones_refuseVersionedPutsAtOrBelowTheFence_evenOnKeysThatWereAbsent() {
    assertThat(join(store.putVersioned("held", 3, bytes("v3"), TTL)).stored()).isTrue();
    List<Version> tombs = join(store.fenceAll(List.of("held", "absent", "plain"),
        new long[] {7, 7, RemoteStore.NO_FENCE}));
    assertThat(tombs).hasSize(3);
    assertThat(join(store.readAll(List.of("held", "absent", "plain"), null, LEASE))).extracting(RemoteEntry::state)
        .containsOnly(State.TOMBSTONE);
    assertThat(join(store.putVersioned("held", 7, bytes("late"), TTL)).stored()).as("at the fence").isFalse();
    assertThat(join(store.putVersioned("held", 5, bytes("late"), TTL)).stored()).as("below it").isFalse();
    assertThat(join(store.putVersioned("absent", 7, bytes("late"), TTL)).stored()).isFalse();
    assertThat(join(store.putVersioned("plain", 1, bytes("v1"), TTL)).stored()).as("no fence").isTrue();
    assertThat(join(store.putVersioned("held", 8, bytes("v8"), TTL)).stored()).as("newer than the fence").isTrue();
    join(store.fenceAll(List.of("held"), new long[] {2}));
    assertThat(join(store.putVersioned("held", 8, bytes("again"), TTL)).stored())
        .as("a lower fence never lowers what the key has seen").isFalse();
  }

  @Test
  void hotKeys_keepTheHighestCountReported_hottestFirst() {
    join(store.recordHotKeys(Map.of("a", 5L, "b", 9L), 60_000));
    join(store.recordHotKeys(Map.of("a", 7L, "b", 1L, "c", 2L), 60_000));
    assertThat(join(store.hotKeys(10))).containsExactly("b", "a", "c");
    assertThat(join(store.hotKeys(1))).containsExactly("b");
  }

  @Test
  void clear_removesEveryKey_andAFillWhoseLeasePredatesItIsRejected() {
    loadAndFill("a", "t1", "A");
    join(store.read("b", "t2", LEASE));
    join(store.clear());
    assertThat(join(store.read("a", null, LEASE)).state()).isEqualTo(State.ABSENT);
    assertThat(join(store.fill("b", "t2", bytes("stale"), TTL, RemoteStore.NO_SOURCE_VERSION)).stored()).isFalse();
  }

  @Test
  void clear_leavesOtherCachesAlone() {
    RemoteStore other = open(new RemoteStoreSpec(spec.namespace(), spec.cacheName() + "x", 2, List.of(),
        Duration.ofMinutes(5)));
    join(other.putVersioned("k", 1, bytes("other"), TTL));
    join(store.putVersioned("k", 1, bytes("mine"), TTL));
    join(store.clear());
    assertThat(join(other.read("k", null, LEASE)).payload()).isEqualTo(bytes("other"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"", " ", "a b", "line\r\nbreak", "*", "?", "[x]", "a:b", "a.b", "a>b", "ü€😀", "*:?[]>. "})
  void unusualIds_roundTripExactly_andDoNotCollide(String id) {
    loadAndFill(id, "t", "value-of-" + id);
    assertThat(join(store.read(id, null, LEASE)).payload()).isEqualTo(bytes("value-of-" + id));
    assertThat(join(store.read(id + "x", null, LEASE)).state()).isEqualTo(State.ABSENT);
    join(store.clear());
    assertThat(join(store.read(id, null, LEASE)).state()).isEqualTo(State.ABSENT);
  }

  @Test
  void megabyteId_roundTrips() {
    String id = "k".repeat(1024 * 1024);
    loadAndFill(id, "t", "big-key");
    assertThat(join(store.read(id, null, LEASE)).payload()).isEqualTo(bytes("big-key"));
    assertThat(join(store.read(id.substring(1), null, LEASE)).state()).isEqualTo(State.ABSENT);
  }

  @Test
  void binaryPayload_roundTripsExactly() {
    byte[] payload = new byte[4096];
    for (int i = 0; i < payload.length; i++) {
      payload[i] = (byte) i;
    }
    join(store.read("bin", "t", LEASE));
    join(store.fill("bin", "t", payload, TTL, RemoteStore.NO_SOURCE_VERSION));
    assertThat(join(store.read("bin", null, LEASE)).payload()).isEqualTo(payload);
  }

  @Test
  void tombstone_coversPreviousSchemaVersions() {
    RemoteStore previous = open(new RemoteStoreSpec(spec.namespace(), spec.cacheName(), 1, List.of(),
        Duration.ofMinutes(5)));
    join(previous.putVersioned("k", 1, bytes("old-schema"), TTL));
    join(store.tombstone("k"));
    assertThat(join(previous.read("k", null, LEASE)).state()).isEqualTo(State.TOMBSTONE);
  }

  @Test
  void putVersioned_tombstonesPreviousSchemaVersions() {
    RemoteStore previous = open(new RemoteStoreSpec(spec.namespace(), spec.cacheName(), 1, List.of(),
        Duration.ofMinutes(5)));
    join(previous.putVersioned("k", 1, bytes("old-schema"), TTL));
    join(store.putVersioned("k", 2, bytes("new-schema"), TTL));
    assertThat(join(previous.read("k", null, LEASE)).state())
        .as("a node still on the previous schema must not keep serving the old row").isEqualTo(State.TOMBSTONE);
  }

  @Test
  void intent_tombstonesPreviousSchemaVersions() {
    RemoteStore previous = open(new RemoteStoreSpec(spec.namespace(), spec.cacheName(), 1, List.of(),
        Duration.ofMinutes(5)));
    join(previous.putVersioned("k", 1, bytes("old-schema"), TTL));
    join(store.intent("k", TTL));
    assertThat(join(previous.read("k", "t", LEASE)).lease())
        .as("a node on the previous schema cannot fill while the write is in progress").isEqualTo(Lease.REFUSED);
  }
}
