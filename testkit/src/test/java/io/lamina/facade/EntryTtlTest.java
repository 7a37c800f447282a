package io.lamina.facade;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lamina.ProtectionConfig;
import io.lamina.TieredCache;
import io.lamina.TieredCacheBuilder;
import io.lamina.TieredCacheConfig;
import io.lamina.ValueCodecs;
import io.lamina.testkit.ManualTicker;
import io.lamina.testkit.memory.InMemoryLocalTier;
import io.lamina.testkit.memory.InMemoryRemoteTier;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A value's own time to live — {@code put(key, value, ttl)} and {@code ttlOf} — is exact in L2, a ceiling in L1
 * on every node, not stretched by stale serving, and refused under 1 ms before anything is written. Values are
 * {@code "name@version"} or {@code "name@version~seconds"} (a value that says how long it is valid).
 */
class EntryTtlTest {

  private static final Duration DEFAULT_TTL = Duration.ofMinutes(10);
  private static final String KEY = "lamina:ttl:1:k";

  private final ManualTicker clock = new ManualTicker();
  private final InMemoryRemoteTier remote = new InMemoryRemoteTier(clock);
  private final Map<String, String> source = new ConcurrentHashMap<>();
  private final AtomicInteger loads = new AtomicInteger();
  private final List<TieredCache<String, String>> nodes = new ArrayList<>();

  @AfterEach
  void close() {
    nodes.forEach(TieredCache::close);
  }

  private TieredCache<String, String> node(UnaryOperator<TieredCacheBuilder<String, String>> more) {
    return node(ProtectionConfig.ofDefaults(), more);
  }

  private TieredCache<String, String> node(ProtectionConfig protection,
      UnaryOperator<TieredCacheBuilder<String, String>> more) {
    TieredCache<String, String> node = more.apply(TieredCache.<String, String>newBuilder("ttl")
        .config(TieredCacheConfig.custom().l1ExpireAfterWrite(DEFAULT_TTL).l1TtlJitter(0).l2Ttl(DEFAULT_TTL)
            .l2TtlJitter(0).protection(protection).build())
        .local(InMemoryLocalTier.provider())
        .remote(remote)
        .valueCodec(ValueCodecs.utf8())
        .ticker(clock)
        .versionOf(EntryTtlTest::version)
        .loader(k -> {
          loads.incrementAndGet();
          return source.get(k);
        }))
        .build();
    nodes.add(node);
    return node;
  }

  private static long version(String value) {
    String v = value.substring(value.indexOf('@') + 1);
    int tilde = v.indexOf('~');
    return Long.parseLong(tilde < 0 ? v : v.substring(0, tilde));
  }

  private static @Nullable Duration ownTtl(String value) {
    int tilde = value.indexOf('~');
    return tilde < 0 ? null : Duration.ofSeconds(Long.parseLong(value.substring(tilde + 1)));
  }

  @Test
  void putWithTtl_livesExactlyThatLongInL2_andNoLongerInAnyL1() {
    TieredCache<String, String> one = node(b -> b);
    TieredCache<String, String> two = node(b -> b);
    one.put("k", "a@1", Duration.ofSeconds(30));
    assertThat(remote.ttlMillis(KEY)).as("exact, no jitter").isEqualTo(30_000);
    assertThat(two.get("k")).isEqualTo("a@1");
    int before = loads.get();

    clock.advance(Duration.ofSeconds(29));
    assertThat(one.getIfPresent("k")).isEqualTo("a@1");
    assertThat(two.getIfPresent("k")).isEqualTo("a@1");
    clock.advance(Duration.ofSeconds(2));
    source.put("k", "a@2");
    assertThat(one.getIfPresent("k")).as("the writer's L1").isNull();
    assertThat(two.getIfPresent("k")).as("the reader's L1, filled from L2").isNull();
    assertThat(remote.ttlMillis(KEY)).isEqualTo(-2);
    assertThat(two.get("k")).isEqualTo("a@2");
    assertThat(loads.get()).isEqualTo(before + 1);
  }

  @Test
  void aPutWithoutTtl_keepsTheCacheDefault() {
    TieredCache<String, String> one = node(b -> b);
    one.put("k", "a@1");
    assertThat(remote.ttlMillis(KEY)).isEqualTo(DEFAULT_TTL.toMillis());
  }

  @Test
  void ttlOf_givesLoadedValuesTheirOwnLife_andNullMeansTheDefault() {
    TieredCache<String, String> one = node(b -> b.ttlOf(EntryTtlTest::ownTtl));
    source.put("k", "quote@1~5");
    source.put("plain", "p@1");
    assertThat(one.get("k")).isEqualTo("quote@1~5");
    one.get("plain");
    assertThat(remote.ttlMillis(KEY)).isEqualTo(5_000);
    assertThat(remote.ttlMillis("lamina:ttl:1:plain")).isEqualTo(DEFAULT_TTL.toMillis());

    clock.advance(Duration.ofSeconds(6));
    source.put("k", "quote@2~5");
    assertThat(one.getIfPresent("k")).isNull();
    assertThat(one.getIfPresent("plain")).isEqualTo("p@1");
    assertThat(one.get("k")).isEqualTo("quote@2~5");
  }

  @Test
  void ttlOf_appliesToVersionedPuts_andTheCallsTtlWins() {
    TieredCache<String, String> one = node(b -> b.ttlOf(EntryTtlTest::ownTtl));
    one.put("k", "a@1~7");
    assertThat(remote.ttlMillis(KEY)).isEqualTo(7_000);
    one.put("k", "a@2~7", Duration.ofSeconds(3));
    assertThat(remote.ttlMillis(KEY)).isEqualTo(3_000);
  }

  @Test
  void aValuesOwnLife_isNotStretchedByStaleServing() {
    ProtectionConfig staleForAMinute = ProtectionConfig.custom().staleWhileRevalidate(Duration.ofMinutes(1))
        .staleIfError(Duration.ofMinutes(1)).build();
    TieredCache<String, String> one = node(staleForAMinute, b -> b.ttlOf(EntryTtlTest::ownTtl));
    source.put("k", "token@1~5");
    one.get("k");
    clock.advance(Duration.ofSeconds(6));
    source.put("k", "token@2~5");
    assertThat(one.getIfPresent("k")).as("expired, not stale").isNull();
    assertThat(one.get("k")).isEqualTo("token@2~5");
    assertThat(one.stats().protection().staleServed()).isZero();
  }

  @Test
  void aTtlUnderOneMillisecond_isRefused_beforeAnythingIsWritten() {
    TieredCache<String, String> one = node(b -> b);
    one.put("k", "a@1");
    assertThatThrownBy(() -> one.put("k", "a@2", Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("cache 'ttl'").hasMessageContaining("PT0S").hasMessageContaining("at least 1 ms");
    assertThatThrownBy(() -> one.put("k", "a@2", Duration.ofSeconds(-1)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(one.get("k")).isEqualTo("a@1");
    assertThat(remote.ttlMillis(KEY)).isEqualTo(DEFAULT_TTL.toMillis());
  }

  @Test
  void aBadTtlOfResult_failsTheLoad_andNothingIsStored() {
    TieredCache<String, String> one = node(b -> b.ttlOf(v -> Duration.ofNanos(10)));
    source.put("k", "a@1");
    assertThatThrownBy(() -> one.get("k"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("ttlOf returned PT0.00000001S");
    assertThat(remote.stateOf(KEY)).as("at most the load's lease, which expires").isNotIn("V", "N");
    assertThat(one.getIfPresent("k")).isNull();
    assertThatThrownBy(() -> one.put("k", "a@2")).isInstanceOf(IllegalArgumentException.class);
    assertThat(remote.stateOf(KEY)).isNotIn("V", "N");
    assertThat(one.getIfPresent("k")).isNull();
  }

  @Test
  void aNegativeResult_keepsTheNegativeTtl() {
    TieredCache<String, String> one = node(b -> b.ttlOf(v -> Duration.ofSeconds(1)));
    assertThat(one.get("k")).isNull();
    assertThat(remote.ttlMillis(KEY)).isEqualTo(TieredCacheConfig.ofDefaults().negativeTtl().toMillis());
  }

  @Test
  void ttlOf_canBeSetOnce() {
    assertThatThrownBy(() -> TieredCache.<String, String>newBuilder("x").ttlOf(v -> null).ttlOf(v -> null))
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("ttlOf");
  }
}
