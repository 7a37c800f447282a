package io.lamina.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.lamina.TierUnavailableException;
import io.lamina.spi.KeyFilter;
import io.lamina.testkit.contract.KeyFilterContract;
import io.lamina.testkit.server.RedisServer;
import io.lamina.testkit.server.WithRedis;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.redisson.api.RedissonClient;

/**
 * The key filter contract against a real redis-server, two clients standing for two nodes; then the layout of the
 * keys, round trips, and faults: a killed, frozen or restarted server, a lost filter, a build that crashed or ran
 * out of time.
 */
@WithRedis
class RedissonKeyFilterIT extends KeyFilterContract {

  // Generous for a loaded machine: a busy CI runner must not turn ordinary calls into failures.
  private static final Duration CALL_TIMEOUT = Duration.ofSeconds(1);
  private static final Duration SLACK = Duration.ofMillis(700);

  private static RedisServer redis;
  private static RedissonClient client;
  private static RedissonClient otherClient;

  // Filters compare by identity.
  private final Map<KeyFilter, Consumer<RedissonKeyFilter.Builder>> settings = new HashMap<>();
  private final Map<KeyFilter, String> names = new HashMap<>();

  @BeforeAll
  static void connect(RedisServer server) {
    redis = server;
    client = RedisClients.connect(server);
    otherClient = RedisClients.connect(server);
  }

  @AfterAll
  static void disconnect() {
    client.shutdown();
    otherClient.shutdown();
  }

  @Override
  protected KeyFilter create(String name, long expectedInsertions, double falseProbability) {
    Consumer<RedissonKeyFilter.Builder> setup = b -> b.expectedInsertions(expectedInsertions)
        .falseProbability(falseProbability).callTimeout(CALL_TIMEOUT);
    KeyFilter f = open(client, name, setup);
    f.rebuild(List.of());
    return f;
  }

  private KeyFilter open(RedissonClient on, String name, Consumer<RedissonKeyFilter.Builder> setup) {
    RedissonKeyFilter.Builder b = RedissonKeyFilter.newBuilder(on, "contract", name);
    setup.accept(b);
    KeyFilter f = b.build();
    settings.put(f, setup);
    names.put(f, name);
    return f;
  }

  @Override
  protected KeyFilter peer(KeyFilter f) {
    return open(otherClient, names.get(f), settings.get(f));
  }

  @Override
  protected void makeUnreachable(KeyFilter f) {
    redis.pause();
  }

  @Override
  protected void makeReachable(KeyFilter f) {
    redis.resume();
  }

  @Override
  protected Duration failureBound() {
    return CALL_TIMEOUT.plus(SLACK);
  }

  private String pointer(KeyFilter f) {
    return "{contract:" + names.get(f) + "}:~keyfilter";
  }

  private List<String> keysOf(KeyFilter f) {
    return strings(redis.command("KEYS", pointer(f).replace("{", "\\{").replace("}", "\\}") + "*"));
  }

  private List<String> pointerFields(KeyFilter f) {
    return strings(redis.command("HKEYS", pointer(f)));
  }

  private String current(KeyFilter f) {
    return String.valueOf(redis.command("HGET", pointer(f), "current"));
  }

  private static List<String> strings(Object reply) {
    List<String> out = new ArrayList<>();
    for (Object o : (List<?>) reply) {
      out.add(String.valueOf(o));
    }
    return new ArrayList<>(new TreeSet<>(out));
  }

  private static Duration timed(Runnable call) {
    long start = System.nanoTime();
    call.run();
    return Duration.ofNanos(System.nanoTime() - start);
  }

  /** Calls of {@code commands} the server has run and not failed (top level and in scripts). */
  private static long calls(RedisServer server, String... commands) {
    long total = 0;
    for (String command : commands) {
      total += server.commandCalls(command);
    }
    return total;
  }

  // ---- layout and cost

  @Test
  void keys_liveUnderTheCachesHashTag_oneGenerationInService() {
    filter.addAll(List.of("a", "b"));
    filter.rebuild(List.of("a"));
    String generation = current(filter);

    assertThat(generation).startsWith(pointer(filter) + ":");
    assertThat(keysOf(filter)).containsExactly(pointer(filter), generation, generation + ":config");
    assertThat(pointerFields(filter)).containsExactly("current");
    assertThat(filter.name()).isEqualTo("redis-bloom:contract:" + names.get(filter));
  }

  @Test
  void mightContain_takesOneRoundTrip_once_theGenerationIsKnown() {
    filter.add("present");
    filter.mightContain("warm-up");
    int lookups = 200;
    long scriptsBefore = calls(redis, "eval", "evalsha");
    long configReadsBefore = calls(redis, "hgetall");
    for (int i = 0; i < lookups; i++) {
      assertThat(filter.mightContain(i % 2 == 0 ? "present" : "absent-" + i)).isEqualTo(i % 2 == 0);
    }
    assertThat(calls(redis, "eval", "evalsha") - scriptsBefore).as("scripts run").isEqualTo(lookups);
    assertThat(calls(redis, "hgetall") - configReadsBefore).as("pointer or settings read").isZero();
  }

  @Test
  void mightContain_onAnotherNode_followsARebuild_withoutAFalseAbsent() {
    KeyFilter other = peer(filter);
    filter.add("old");
    assertThat(other.mightContain("old")).isTrue(); // other caches the generation
    filter.rebuild(List.of("old", "new"));
    assertThat(other.mightContain("new")).isTrue();
    assertThat(keysOf(filter)).hasSize(3);
  }

  @Test
  void firstLookups_ofANewGeneration_fromManyThreadsAtOnce_neverFail() throws Exception {
    KeyFilter other = peer(filter);
    filter.add("stable");
    assertThat(other.mightContain("stable")).isTrue();
    for (int round = 0; round < 20; round++) {
      filter.rebuild(List.of("stable"));
      CountDownLatch go = new CountDownLatch(1);
      List<Future<Boolean>> lookups = new ArrayList<>();
      for (int t = 0; t < 6; t++) {
        lookups.add(pool.submit(() -> {
          go.await();
          return other.mightContain("stable");
        }));
      }
      go.countDown();
      for (Future<Boolean> lookup : lookups) {
        assertThat(lookup.get(30, TimeUnit.SECONDS)).as("round %d", round).isTrue();
      }
    }
  }

  @Test
  void builder_rejectsBadSettings_namingTheValue() {
    rejects(b -> b.expectedInsertions(0), IllegalArgumentException.class, "expectedInsertions must be positive, was 0");
    rejects(b -> b.expectedInsertions(-5), IllegalArgumentException.class, "was -5");
    rejects(b -> b.expectedInsertions(10).expectedInsertions(20), IllegalStateException.class, "already set to 10");
    for (double p : new double[] {0, 1, -0.1, 1.5, Double.NaN}) {
      rejects(b -> b.falseProbability(p), IllegalArgumentException.class, "falseProbability must be between 0 and 1"
          + " (exclusive), was " + p);
    }
    rejects(b -> b.falseProbability(0.1).falseProbability(0.2), IllegalStateException.class, "already set to 0.1");
    rejects(b -> b.callTimeout(Duration.ZERO), IllegalArgumentException.class,
        "callTimeout must be positive, was PT0S");
    rejects(b -> b.buildTimeout(Duration.ofSeconds(-1)), IllegalArgumentException.class, "was PT-1S");
    rejects(b -> b.callTimeout(Duration.ofSeconds(1)).callTimeout(Duration.ofSeconds(2)), IllegalStateException.class,
        "callTimeout was already set to PT1S");
    rejects(b -> { }, IllegalStateException.class, "expectedInsertions must be set");
    rejects(b -> b.expectedInsertions(1_000_000_000_000L), IllegalArgumentException.class,
        "expectedInsertions 1000000000000 at falseProbability 0.01 need");
    rejects(b -> b.expectedInsertions(1).falseProbability(0.9), IllegalArgumentException.class, "less than one bit");
    assertThatThrownBy(() -> RedissonKeyFilter.newBuilder(client, "bad ns", "c"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("namespace")
        .hasMessageContaining("'bad ns'");
    assertThatThrownBy(() -> RedissonKeyFilter.newBuilder(client, "ns", "a:b"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("cacheName").hasMessageContaining("'a:b'");
  }

  private static void rejects(Consumer<RedissonKeyFilter.Builder> setup, Class<? extends Exception> type,
      String message) {
    assertThatThrownBy(() -> {
      RedissonKeyFilter.Builder b = RedissonKeyFilter.newBuilder(client, "ns", "cache");
      setup.accept(b);
      b.build();
    }).isInstanceOf(type).hasMessageContaining(message);
  }

  @Test
  void beforeTheFirstRebuild_mightContainFailsOpen_andAddsAreKeptByTheRebuild() {
    KeyFilter fresh = open(client, names.get(filter) + "-new", settings.get(filter));
    assertThatThrownBy(() -> fresh.mightContain("x")).isInstanceOf(TierUnavailableException.class)
        .hasMessageContaining("no filter has been built yet");
    fresh.add("x"); // no filter yet: nothing to record, readers fail open
    fresh.rebuild(List.of("x", "y"));
    assertThat(fresh.mightContain("x")).isTrue();
    assertThat(fresh.mightContain("z")).isFalse();
  }

  // ---- faults

  @Test
  void lostFilter_failsOpen_addsStillSucceed_andARebuildRestoresIt() {
    filter.add("present");
    String generation = current(filter);
    redis.command("DEL", generation); // as eviction would

    for (KeyFilter node : List.of(filter, peer(filter))) {
      assertThatThrownBy(() -> node.mightContain("present")).isInstanceOf(TierUnavailableException.class)
          .hasMessageContaining("missing or damaged");
      assertThatThrownBy(() -> node.mightContain("never-added")).isInstanceOf(TierUnavailableException.class);
    }
    filter.rebuild(List.of("present"));
    assertThat(filter.mightContain("present")).isTrue();
    assertThat(filter.mightContain("never-added")).isFalse();
  }

  @Test
  void crashedBuild_isIgnoredByAdds_andDeletedByTheNextRebuild() {
    String crashed = pointer(filter) + ":crashed";
    redis.command("HSET", pointer(filter), "b:" + crashed, "1"); // its deadline passed long ago
    redis.command("SET", crashed, "bits");
    redis.command("SET", crashed + ":config", "settings");

    filter.add("after-the-crash");
    assertThat(filter.mightContain("after-the-crash")).isTrue();
    filter.rebuild(List.of("after-the-crash"));

    assertThat(keysOf(filter)).doesNotContain(crashed, crashed + ":config").hasSize(3);
    assertThat(pointerFields(filter)).containsExactly("current");
  }

  @Test
  void buildPastItsTimeout_cannotSwitch_andLeavesThePreviousContents() {
    Consumer<RedissonKeyFilter.Builder> slow = b -> b.expectedInsertions(1_000).callTimeout(CALL_TIMEOUT)
        .buildTimeout(Duration.ofMillis(300));
    KeyFilter f = open(client, names.get(filter) + "-slow", slow);
    f.rebuild(List.of("before"));
    Iterable<String> ids = pausing(List.of("a", "b", "c"), 1,
        () -> await().atMost(Duration.ofSeconds(10)).until(() -> buildExpired(f)));

    assertThatThrownBy(() -> f.rebuild(ids)).isInstanceOf(TierUnavailableException.class)
        .hasMessageContaining("build timeout");
    assertThat(f.mightContain("before")).isTrue();
    assertThat(f.mightContain("a")).isFalse();
    await().atMost(Duration.ofSeconds(10)).until(() -> keysOf(f).size() == 3);
    assertThat(pointerFields(f)).containsExactly("current");
  }

  private boolean buildExpired(KeyFilter f) {
    List<?> time = (List<?>) redis.command("TIME");
    long now = Long.parseLong(String.valueOf(time.get(0))) * 1000 + Long.parseLong(String.valueOf(time.get(1))) / 1000;
    for (String field : pointerFields(f)) {
      if (field.startsWith("b:")) {
        return Long.parseLong(String.valueOf(redis.command("HGET", pointer(f), field))) < now;
      }
    }
    return false;
  }

  @Test
  void concurrentRebuilds_leaveNoStrayKeys() throws Exception {
    KeyFilter other = peer(filter);
    for (int round = 0; round < 10; round++) {
      CountDownLatch go = new CountDownLatch(1);
      List<Future<?>> builds = new ArrayList<>();
      for (KeyFilter node : List.of(filter, other, filter, other)) {
        builds.add(pool.submit(() -> {
          go.await();
          node.rebuild(ids("id-", 2_000));
          return null;
        }));
      }
      go.countDown();
      for (Future<?> b : builds) {
        b.get(60, TimeUnit.SECONDS);
      }
      assertThat(keysOf(filter)).as("round %d", round).hasSize(3);
      assertThat(pointerFields(filter)).containsExactly("current");
    }
  }

  @Test
  void killedServer_failsOpen_withinTheTimeout_thenARestartedEmptyServer_failsOpenUntilRebuilt() {
    RedisServer own = RedisServer.start();
    RedissonClient c = RedisClients.connect(own);
    try {
      KeyFilter f = RedissonKeyFilter.newBuilder(c, "faults", "killed").expectedInsertions(10_000)
          .callTimeout(CALL_TIMEOUT).build();
      f.rebuild(List.of("present"));
      assertThat(f.mightContain("present")).isTrue();

      own.kill();
      for (String id : List.of("present", "never-added", "present")) {
        Duration took = timed(() -> assertThatThrownBy(() -> f.mightContain(id))
            .isInstanceOf(TierUnavailableException.class).hasMessageContaining("redis-bloom:faults:killed"));
        assertThat(took).isLessThanOrEqualTo(failureBound());
      }
      Duration addTook = timed(() -> assertThatThrownBy(() -> f.add("x")).isInstanceOf(TierUnavailableException.class));
      assertThat(addTook).isLessThanOrEqualTo(failureBound());

      own.restart(); // empty: the filter is gone
      await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(50)).untilAsserted(() ->
          assertThatThrownBy(() -> f.mightContain("present")).isInstanceOf(TierUnavailableException.class)
              .hasMessageContaining("no filter has been built yet"));
      f.rebuild(List.of("present"));
      assertThat(f.mightContain("present")).isTrue();
      assertThat(f.mightContain("never-added")).isFalse();
    } finally {
      c.shutdown();
      own.close();
    }
  }

  @Test
  void pausedServer_everyCallFailsOpen_withinTheTimeout_andWorksAfterResume() {
    filter.add("present");
    List<Long> millis = new ArrayList<>();
    redis.pause();
    try {
      for (int i = 0; i < 4; i++) {
        String id = i % 2 == 0 ? "present" : "never-added";
        Duration took = timed(() -> assertThatThrownBy(() -> filter.mightContain(id))
            .isInstanceOf(TierUnavailableException.class).hasMessageContaining("within 1000 ms"));
        millis.add(took.toMillis());
      }
    } finally {
      redis.resume();
    }
    report("mightContain against a paused server took " + millis + " ms");
    assertThat(millis).allSatisfy(ms -> assertThat(ms).isLessThanOrEqualTo(failureBound().toMillis()));
    await().atMost(Duration.ofSeconds(10)).ignoreException(TierUnavailableException.class)
        .untilAsserted(() -> assertThat(filter.mightContain("present")).isTrue());
    assertThat(filter.mightContain("never-added")).isFalse();
  }

  @Test
  void lookupLatency_isReported() {
    addInChunks(filter, ids("p-", 10_000));
    long[] nanos = new long[2_000];
    for (int i = 0; i < nanos.length; i++) {
      long start = System.nanoTime();
      filter.mightContain("p-" + (i * 7));
      nanos[i] = System.nanoTime() - start;
    }
    Arrays.sort(nanos);
    report(String.format("mightContain latency p50 %d us, p99 %d us (single thread, loopback)",
        nanos[nanos.length / 2] / 1000, nanos[nanos.length * 99 / 100] / 1000));
    assertThat(nanos[nanos.length / 2]).isLessThan(CALL_TIMEOUT.toNanos());
  }
}
