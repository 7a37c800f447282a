package io.lamina.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.lamina.TierUnavailableException;
import io.lamina.spi.KeyFilter;
import io.lamina.testkit.ManualTicker;
import io.lamina.testkit.server.RedisServer;
import io.lamina.testkit.server.WithRedis;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.redisson.api.RedissonClient;

/**
 * The key filter's deadlines read the ticker it was built with: a manual ticker moved past the build timeout
 * during a rebuild stops it, although neither the system clock nor the server's deadline has run out, and the
 * generation in service stays; a ticker that stands still does not stretch a real wait into a hang.
 */
@WithRedis
class KeyFilterRebuildIT {

  private static final Duration CALL_TIMEOUT = Duration.ofSeconds(1);
  // Far beyond the test's run time on the system clock and on the server's.
  private static final Duration BUILD_TIMEOUT = Duration.ofMinutes(1);
  private static final Duration PAST_THE_BUILD_TIMEOUT = BUILD_TIMEOUT.multipliedBy(2);
  private static final Duration SLACK = Duration.ofMillis(700);
  private static final int CHUNK = 1_000; // ids per write in a rebuild
  private static final AtomicLong NAMES = new AtomicLong();

  private static RedisServer redis;
  private static RedissonClient client;

  private final ManualTicker ticker = new ManualTicker();
  private String name;
  private KeyFilter filter;

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
  void buildAGeneration() {
    name = "ticker-" + NAMES.incrementAndGet();
    filter = RedissonKeyFilter.newBuilder(client, "rebuild", name).expectedInsertions(10_000)
        .callTimeout(CALL_TIMEOUT).buildTimeout(BUILD_TIMEOUT).ticker(ticker).build();
    filter.rebuild(List.of("before"));
  }

  @Test
  void rebuild_whoseTickerPassesTheBuildTimeoutDuringTheFill_failsAndKeepsTheGenerationInService() {
    String inService = current();
    // The ticker moves once the first chunk is on its way; the second chunk finds the build out of time.
    Iterable<String> ids = ids(3 * CHUNK, CHUNK, () -> ticker.advance(PAST_THE_BUILD_TIMEOUT));

    assertThatThrownBy(() -> filter.rebuild(ids)).isInstanceOf(TierUnavailableException.class)
        .hasMessageContaining("rebuild ran past its build timeout of " + BUILD_TIMEOUT);

    assertThat(current()).isEqualTo(inService);
    assertThat(filter.mightContain("before")).isTrue();
    assertThat(filter.mightContain("id-0")).isFalse();
    await().atMost(Duration.ofSeconds(10)).until(() -> keys().size() == 3); // the build is cancelled
    assertThat(pointerFields()).containsExactly("current");
  }

  @Test
  void rebuild_whoseTickerPassesTheBuildTimeoutAfterTheFill_refusesToSwitch() {
    String inService = current();
    // Exactly one chunk, sent in full; the ticker moves when the ids run out, before the switch.
    Iterable<String> ids = ids(CHUNK, CHUNK, () -> ticker.advance(PAST_THE_BUILD_TIMEOUT));

    assertThatThrownBy(() -> filter.rebuild(ids)).isInstanceOf(TierUnavailableException.class)
        .hasMessageContaining("ran past its build timeout of " + BUILD_TIMEOUT + " before it could switch");

    assertThat(current()).isEqualTo(inService);
    assertThat(filter.mightContain("before")).isTrue();
    assertThat(filter.mightContain("id-0")).isFalse();
    await().atMost(Duration.ofSeconds(10)).until(() -> keys().size() == 3);
    assertThat(pointerFields()).containsExactly("current");
  }

  @Test
  void rebuild_withATickerThatStandsStill_completes() {
    String replaced = current();
    filter.rebuild(ids(3 * CHUNK, CHUNK, () -> { }));

    assertThat(current()).isNotEqualTo(replaced);
    assertThat(filter.mightContain("id-0")).isTrue();
    assertThat(filter.mightContain("id-" + (3 * CHUNK - 1))).isTrue();
  }

  @Test
  void mightContain_withATickerThatStandsStill_stillFailsOpen_onAPausedServer() {
    redis.pause();
    long start = System.nanoTime();
    try {
      assertThatThrownBy(() -> filter.mightContain("before")).isInstanceOf(TierUnavailableException.class)
          .hasMessageContaining("within " + CALL_TIMEOUT.toMillis() + " ms");
    } finally {
      redis.resume();
    }
    // Each round trip waits the call timeout for real; with the ticker still, the lookup and the pointer read
    // after it may each take one, so two of them, and slack for a busy machine.
    Duration took = Duration.ofNanos(System.nanoTime() - start);
    assertThat(took).isLessThan(CALL_TIMEOUT.multipliedBy(2).plus(SLACK));
    await().atMost(Duration.ofSeconds(10)).ignoreException(TierUnavailableException.class)
        .untilAsserted(() -> assertThat(filter.mightContain("before")).isTrue());
  }

  @Test
  void builder_refusesANullOrSecondTicker_namingTheSetting() {
    RedissonKeyFilter.Builder b = RedissonKeyFilter.newBuilder(client, "rebuild", "builder");
    assertThatThrownBy(() -> b.ticker(null)).isInstanceOf(NullPointerException.class).hasMessage("ticker");
    b.ticker(ticker);
    assertThatThrownBy(() -> b.ticker(ticker)).isInstanceOf(IllegalStateException.class)
        .hasMessage("ticker was already set");
  }

  /** {@code count} ids {@code id-0, id-1, …}; {@code then} runs once, when {@code before} ids have been taken. */
  private static Iterable<String> ids(int count, int before, Runnable then) {
    return () -> new Iterator<>() {
      private int taken;
      private boolean ran;

      @Override
      public boolean hasNext() {
        if (taken == before && !ran) {
          ran = true;
          then.run();
        }
        return taken < count;
      }

      @Override
      public String next() {
        if (!hasNext()) {
          throw new NoSuchElementException();
        }
        return "id-" + taken++;
      }
    };
  }

  private String pointer() {
    return "{rebuild:" + name + "}:~keyfilter";
  }

  private String current() {
    return String.valueOf(redis.command("HGET", pointer(), "current"));
  }

  private List<String> keys() {
    return strings(redis.command("KEYS", pointer().replace("{", "\\{").replace("}", "\\}") + "*"));
  }

  private List<String> pointerFields() {
    return strings(redis.command("HKEYS", pointer()));
  }

  private static List<String> strings(Object reply) {
    List<String> out = new ArrayList<>();
    for (Object o : (List<?>) reply) {
      out.add(String.valueOf(o));
    }
    return new ArrayList<>(new TreeSet<>(out));
  }
}
