package io.lamina.facade;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lamina.TierUnavailableException;
import io.lamina.TieredCache;
import io.lamina.TieredCacheConfig;
import io.lamina.ValueCodecs;
import io.lamina.testkit.memory.InMemoryKeyFilter;
import io.lamina.testkit.memory.InMemoryLocalTier;
import io.lamina.testkit.memory.InMemoryRemoteTier;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The key filter in front of the loader: ids it rules out never reach L2 or the source; writes add theirs. */
class KeyFilterTest {

  private final InMemoryRemoteTier remote = new InMemoryRemoteTier();
  private final InMemoryKeyFilter filter = new InMemoryKeyFilter();
  private final Map<String, String> source = new ConcurrentHashMap<>();
  private final AtomicInteger loads = new AtomicInteger();
  private final TieredCache<String, String> cache = TieredCache.<String, String>newBuilder("kf")
      .config(TieredCacheConfig.custom().build())
      .local(InMemoryLocalTier.provider()).remote(remote).valueCodec(ValueCodecs.utf8())
      .keyFilter(filter)
      .loader(k -> {
        loads.incrementAndGet();
        return source.get(k);
      })
      .build();

  @AfterEach
  void close() {
    cache.close();
  }

  @Test
  void idsNeverAdded_reachNeitherL2NorTheSource() {
    long calls = remote.calls();
    for (int i = 0; i < 1_000; i++) {
      assertThat(cache.get("absent" + i)).isNull();
    }
    assertThat(loads.get()).isZero();
    assertThat(remote.calls()).isEqualTo(calls);
    assertThat(cache.stats().protection().filteredMisses()).isEqualTo(1_000);
    assertThat(cache.getAll(List.of("absent1", "absent2000"))).isEmpty();
    assertThat(loads.get()).isZero();
  }

  @Test
  void idsTheFilterKnows_areLoaded() {
    filter.add("k");
    source.put("k", "v");
    assertThat(cache.get("k")).isEqualTo("v");
    assertThat(loads.get()).isEqualTo(1);
  }

  @Test
  void anInvalidationAfterAnInsert_addsTheId() {
    assertThat(cache.get("new")).isNull(); // ruled out, negative in L1
    source.put("new", "row");
    cache.invalidate("new"); // the application inserted it, then invalidated
    assertThat(cache.get("new")).isEqualTo("row");
    cache.invalidateAll(List.of("n1", "n2"));
    assertThat(filter.mightContain("n1")).isTrue();
    assertThat(filter.mightContain("n2")).isTrue();
  }

  @Test
  void aPut_addsTheId() {
    cache.put("p", "x"); // cache-aside without versionOf: invalidates, after adding the id
    source.put("p", "x");
    assertThat(cache.get("p")).isEqualTo("x");
  }

  @Test
  void aFilterThatCannotAnswer_letsReadsThrough() {
    source.put("k", "v");
    filter.failWith(() -> new TierUnavailableException("filter down"));
    assertThat(cache.get("k")).isEqualTo("v");
    assertThat(cache.stats().remoteFailures()).isEqualTo(1);
    assertThat(cache.stats().protection().filteredMisses()).isZero();
  }

  @Test
  void aWriteWhoseIdCannotBeAdded_failsBeforeAnythingChanges() {
    filter.add("k");
    source.put("k", "v1");
    assertThat(cache.get("k")).isEqualTo("v1");
    filter.failWith(() -> new TierUnavailableException("filter down"));
    assertThatThrownBy(() -> cache.invalidate("other")).isInstanceOf(TierUnavailableException.class);
    assertThat(cache.getIfPresent("k")).isEqualTo("v1");
  }

  @Test
  void anEmptyId_isNeverRuledOut() {
    source.put("", "empty");
    assertThat(cache.get("")).isEqualTo("empty");
    cache.invalidate(""); // nothing to record, nothing fails
  }
}
