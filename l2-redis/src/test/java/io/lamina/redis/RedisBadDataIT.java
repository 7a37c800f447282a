package io.lamina.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.lamina.TieredCache;
import io.lamina.TieredCacheConfig;
import io.lamina.ValueCodecs;
import io.lamina.testkit.server.RedisServer;
import io.lamina.testkit.server.WithRedis;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.redisson.api.RedissonClient;

/** Bytes in Redis that no node could have written correctly: each is a miss, a metric, and replaced. */
@WithRedis
class RedisBadDataIT {

  /** Ways an entry can be damaged behind the cache's back. */
  enum Damage {
    GARBAGE, TRUNCATED, EMPTY, STRING_KEY, HASH_WITHOUT_VERSION, HASH_WITHOUT_STATE,
    COUNTER_NOT_A_NUMBER, INCARNATION_NOT_A_NUMBER, UNKNOWN_STATE, SOURCE_VERSION_NOT_A_NUMBER,
    LEASE_EXPIRY_NOT_A_NUMBER
  }

  private static RedisServer redis;
  private static RedissonClient client;
  private final AtomicInteger loads = new AtomicInteger();
  private final List<TieredCache<?, ?>> opened = new ArrayList<>();

  @BeforeAll
  static void connect(RedisServer server) {
    redis = server;
    client = RedisClients.connect(server);
  }

  @AfterAll
  static void disconnect() {
    client.shutdown();
  }

  @AfterEach
  void close() {
    opened.forEach(TieredCache::close);
  }

  private TieredCache<String, String> node(String namespace) {
    TieredCache<String, String> c = TieredCache.<String, String>newBuilder("bad")
        .config(TieredCacheConfig.custom().namespace(namespace).build())
        .remote(RedissonRemoteTier.of(client))
        .valueCodec(ValueCodecs.utf8())
        .loader(k -> {
          loads.incrementAndGet();
          return "fresh:" + k;
        })
        .build();
    opened.add(c);
    return c;
  }

  /** Damages the good entry under {@code key} as {@code damage} says. */
  private void damage(String key, Damage damage) {
    byte[] good = (byte[]) redis.commandWithKey("HGET", key, "p");
    switch (damage) {
      case GARBAGE -> hset(key, "not an envelope at all".getBytes(StandardCharsets.UTF_8));
      case TRUNCATED -> hset(key, Arrays.copyOf(good, 3));
      case EMPTY -> hset(key, new byte[0]);
      case STRING_KEY -> {
        redis.commandWithKey("DEL", key);
        redis.commandWithKey("SET", key, "someone else's string");
      }
      case HASH_WITHOUT_VERSION -> {
        redis.commandWithKey("DEL", key);
        redis.commandWithKey("HSET", key, "s", "V", "p", "x");
      }
      case HASH_WITHOUT_STATE -> redis.commandWithKey("HDEL", key, "s");
      case COUNTER_NOT_A_NUMBER -> redis.commandWithKey("HSET", key, "c", "x");
      case INCARNATION_NOT_A_NUMBER -> redis.commandWithKey("HSET", key, "i", "abc");
      case UNKNOWN_STATE -> redis.commandWithKey("HSET", key, "s", "Z");
      case SOURCE_VERSION_NOT_A_NUMBER -> redis.commandWithKey("HSET", key, "v", "1e3");
      case LEASE_EXPIRY_NOT_A_NUMBER -> redis.commandWithKey("HSET", key, "s", "T", "l", "tok", "e", "soon");
    }
  }

  /**
   * A bulk read asks for many entries in one script call: a damaged one among them is a miss for it alone, loaded
   * and counted, while the others are served from L2 and the call never fails.
   */
  @ParameterizedTest
  @EnumSource(Damage.class)
  void aDamagedEntryAmongGoodOnes_inOneBulkRead_isAMissForItAlone(Damage damage) {
    String namespace = "bulk-" + damage.name().toLowerCase();
    assertThat(node(namespace).getAll(List.of("a", "k", "b"))).hasSize(3); // good entries first
    damage(namespace + ":bad:1:k", damage);
    TieredCache<String, String> reader = node(namespace); // an empty L1: it must read L2
    int before = loads.get();

    assertThat(reader.getAll(List.of("a", "k", "b")))
        .containsExactly(Map.entry("a", "fresh:a"), Map.entry("k", "fresh:k"), Map.entry("b", "fresh:b"));

    assertThat(loads.get() - before).as("only the damaged entry is loaded").isEqualTo(1);
    assertThat(reader.stats().l2().hits()).isEqualTo(2);
    assertThat(reader.stats().decodeFailures()).isEqualTo(1);
    assertThat(reader.stats().protection().remoteBreakerState()).isEqualTo("CLOSED");
  }

  @ParameterizedTest
  @EnumSource(Damage.class)
  void damagedEntry_isAMiss_counted_andReplacedByAReadableOne(Damage damage) {
    String namespace = "bad-" + damage.name().toLowerCase();
    String key = namespace + ":bad:1:k";
    node(namespace).get("k"); // a good entry first
    damage(key, damage);
    TieredCache<String, String> reader = node(namespace); // an empty L1: it must read L2
    assertThat(reader.get("k")).isEqualTo("fresh:k");
    assertThat(reader.stats().decodeFailures()).isEqualTo(1);
    assertThat(loads.get()).isEqualTo(2);
    assertThat(redis.commandWithKey("TYPE", key)).isEqualTo("hash");
    assertThat(new String((byte[]) redis.commandWithKey("HGET", key, "s"), StandardCharsets.UTF_8))
        .as("replaced, then refilled with a readable value").isEqualTo("V");
    assertThat(node(namespace).get("k")).isEqualTo("fresh:k");
    assertThat(loads.get()).as("the refilled entry serves the next node").isEqualTo(2);
  }

  /** A hot key with a malformed field is read again and again: each read is a miss, never an L2 failure. */
  @ParameterizedTest
  @EnumSource(value = Damage.class, names = {"COUNTER_NOT_A_NUMBER", "LEASE_EXPIRY_NOT_A_NUMBER"})
  void aHotMalformedKey_neverOpensTheBreaker(Damage damage) {
    String namespace = "hot-" + damage.name().toLowerCase();
    String key = namespace + ":bad:1:k";
    TieredCache<String, String> reader = node(namespace);
    for (int i = 0; i < 50; i++) {
      reader.invalidate("k");
      if (damage == Damage.COUNTER_NOT_A_NUMBER) {
        redis.commandWithKey("HSET", key, "s", "V", "p", "x", "c", "x");
      } else {
        redis.commandWithKey("HSET", key, "s", "T", "l", "tok", "e", "soon");
      }
      assertThat(reader.get("k")).isEqualTo("fresh:k");
      assertThat(reader.getAll(List.of("k"))).containsEntry("k", "fresh:k");
    }
    assertThat(reader.stats().protection().remoteBreakerState()).isEqualTo("CLOSED");
    assertThat(reader.stats().protection().remoteCallsRejected()).isZero();
    assertThat(reader.stats().decodeFailures()).as("each read saw a malformed entry").isEqualTo(50);
    // A write over a malformed entry replaces it.
    redis.commandWithKey("HSET", key, "c", "x");
    reader.put("k", "written");
    assertThat(new String((byte[]) redis.commandWithKey("HGET", key, "c"), StandardCharsets.UTF_8)).isEqualTo("1");
  }

  @org.junit.jupiter.api.Test
  void entryOfAnotherCodec_isAMiss_counted_andLeftForTheNodesThatWroteIt() {
    String namespace = "bad-other-codec";
    String key = namespace + ":bad:1:k";
    node(namespace).get("k");
    byte[] other = ((byte[]) redis.commandWithKey("HGET", key, "p")).clone();
    other[2] = 99; // a rolling deploy: nodes of another codec write this cache too
    hset(key, other);
    TieredCache<String, String> reader = node(namespace);
    assertThat(reader.get("k")).isEqualTo("fresh:k");
    assertThat(reader.stats().decodeFailures()).isPositive();
    assertThat((byte[]) redis.commandWithKey("HGET", key, "p")).as("left alone").isEqualTo(other);
    assertThat(reader.getIfPresent("k")).as("served, cached nowhere").isNull();
  }

  private static void hset(String key, byte[] payload) {
    redis.commandBytes("HSET".getBytes(StandardCharsets.UTF_8), key.getBytes(StandardCharsets.UTF_8),
        "p".getBytes(StandardCharsets.UTF_8), payload);
  }
}
