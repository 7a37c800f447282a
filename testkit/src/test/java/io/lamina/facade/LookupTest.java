package io.lamina.facade;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lamina.Lookup;
import io.lamina.TieredCache;
import io.lamina.ValueCodecs;
import io.lamina.testkit.memory.InMemoryLocalTier;
import io.lamina.testkit.memory.InMemoryRemoteTier;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** lookup tells a value, a cached negative result and a miss apart, from either tier, and never loads. */
class LookupTest {

  private final InMemoryRemoteTier remote = new InMemoryRemoteTier();
  private final Map<String, String> source = new ConcurrentHashMap<>();
  private final TieredCache<String, String> one = node();
  private final TieredCache<String, String> two = node();

  private TieredCache<String, String> node() {
    return TieredCache.<String, String>newBuilder("lookup")
        .local(InMemoryLocalTier.provider()).remote(remote).valueCodec(ValueCodecs.utf8())
        .loader(source::get)
        .build();
  }

  @AfterEach
  void close() {
    one.close();
    two.close();
  }

  @Test
  void aKeyNobodyLoaded_isAMiss_andIsNotLoaded() {
    source.put("k", "v");
    assertThat(one.lookup("k")).isEqualTo(Lookup.miss());
    assertThat(one.lookup("k").isHit()).isFalse();
    assertThat(one.stats().loads()).isZero();
  }

  @Test
  void aValue_isFoundInL1_andByAnotherNodeInL2() {
    source.put("k", "v");
    one.get("k");
    assertThat(one.lookup("k")).isEqualTo(Lookup.of("v"));
    long l2Hits = two.stats().l2().hits();
    assertThat(two.lookup("k")).isEqualTo(Lookup.of("v"));
    assertThat(two.stats().l2().hits()).isEqualTo(l2Hits + 1);
  }

  @Test
  void aNegativeResult_isNotAMiss_inEitherTier() {
    assertThat(one.get("gone")).isNull();
    assertThat(one.lookup("gone").state()).isEqualTo(Lookup.State.NEGATIVE);
    assertThat(two.lookup("gone").state()).isEqualTo(Lookup.State.NEGATIVE);
    assertThat(two.lookup("gone").isHit()).isTrue();
    assertThat(two.getIfPresent("gone")).as("getIfPresent cannot tell").isNull();
  }

  @Test
  void anInvalidatedKey_isAMissAgain() {
    source.put("k", "v");
    one.get("k");
    one.invalidate("k");
    assertThat(one.lookup("k").state()).isEqualTo(Lookup.State.MISS);
    assertThat(two.lookup("k").state()).isEqualTo(Lookup.State.MISS);
  }

  @Test
  void aLookupHoldsAValueExactlyWhenItsStateIsValue() {
    assertThatThrownBy(() -> new Lookup<>(Lookup.State.VALUE, null)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new Lookup<>(Lookup.State.MISS, "x")).isInstanceOf(IllegalArgumentException.class);
  }
}
