package io.lamina.facade;

import static org.assertj.core.api.Assertions.assertThat;

import io.lamina.Inspection;
import io.lamina.Inspection.LocalState;
import io.lamina.TieredCache;
import io.lamina.TieredCacheStats;
import io.lamina.ValueCodecs;
import io.lamina.spi.RemoteEntry;
import io.lamina.testkit.memory.InMemoryLocalTier;
import io.lamina.testkit.memory.InMemoryRemoteTier;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** inspect tells what each tier holds for a key without counting a read, filling a tier or taking a lease. */
class InspectTest {

  private final InMemoryRemoteTier remote = new InMemoryRemoteTier();
  private final Map<String, String> source = new ConcurrentHashMap<>();
  private final List<TieredCache<String, String>> nodes = new ArrayList<>();
  private volatile CountDownLatch gate = new CountDownLatch(0);

  @AfterEach
  void close() {
    gate.countDown();
    nodes.forEach(TieredCache::close);
  }

  private TieredCache<String, String> node(boolean withRemote) {
    var builder = TieredCache.<String, String>newBuilder("inspect")
        .local(InMemoryLocalTier.provider()).valueCodec(ValueCodecs.utf8())
        .versionOf(v -> Long.parseLong(v.substring(v.indexOf('@') + 1)))
        .loader(k -> {
          gate.await();
          return source.get(k);
        });
    TieredCache<String, String> node = (withRemote ? builder.remote(remote) : builder).build();
    nodes.add(node);
    return node;
  }

  @Test
  void aKeyNobodyLoaded_isAbsentInBothTiers_andInspectingItTakesNoLease() {
    TieredCache<String, String> one = node(true);
    TieredCache<String, String> two = node(true);
    source.put("k", "v@1");
    Inspection seen = one.inspect("k");
    assertThat(seen.cache()).isEqualTo("inspect");
    assertThat(seen.id()).isEqualTo("k");
    assertThat(seen.l1().state()).isEqualTo(LocalState.ABSENT);
    assertThat(seen.l2()).isNotNull();
    assertThat(seen.l2().state()).isEqualTo(RemoteEntry.State.ABSENT);
    assertThat(two.get("k")).isEqualTo("v@1");
    assertThat(two.inspect("k").l2().state()).as("the load's fill was not refused for a lease")
        .isEqualTo(RemoteEntry.State.VALUE);
  }

  @Test
  void aLoadedValue_showsItsVersionsAndTimes_andInspectingCountsNothing() {
    TieredCache<String, String> one = node(true);
    source.put("k", "v@7");
    one.get("k");
    TieredCacheStats before = one.stats();
    Inspection seen = one.inspect("k");
    assertThat(one.stats()).as("not a read").isEqualTo(before);
    assertThat(seen.trusted()).isTrue();
    assertThat(seen.pendingWrite()).isFalse();
    assertThat(seen.l1().state()).isEqualTo(LocalState.VALUE);
    assertThat(seen.l1().sourceVersion()).isEqualTo(7);
    assertThat(seen.l1().version()).isEqualTo(seen.l2().version()).isNotEqualTo("0.0");
    assertThat(seen.l1().ageMillis()).isBetween(0L, 60_000L);
    assertThat(seen.l1().freshForMillis()).isPositive();
    assertThat(seen.l1().expiresInMillis()).isGreaterThanOrEqualTo(seen.l1().freshForMillis());
    assertThat(seen.l2().state()).isEqualTo(RemoteEntry.State.VALUE);
    assertThat(seen.l2().ttlMillis()).isPositive();
    assertThat(seen.l2().error()).isNull();
  }

  @Test
  void aNegativeResult_andAnInvalidation_areToldApart() {
    TieredCache<String, String> one = node(true);
    one.get("gone");
    assertThat(one.inspect("gone").l1().state()).isEqualTo(LocalState.NEGATIVE);
    assertThat(one.inspect("gone").l2().state()).isEqualTo(RemoteEntry.State.NEGATIVE);
    source.put("k", "v@1");
    one.get("k");
    one.invalidate("k");
    assertThat(one.inspect("k").l1().state()).isEqualTo(LocalState.ABSENT);
    assertThat(one.inspect("k").l2().state()).isEqualTo(RemoteEntry.State.TOMBSTONE);
  }

  @Test
  void aLoadInFlight_isShownAsLoading() throws Exception {
    TieredCache<String, String> one = node(true);
    source.put("k", "v@1");
    gate = new CountDownLatch(1);
    CompletableFuture<String> load = CompletableFuture.supplyAsync(() -> one.get("k"));
    Awaitility.await().atMost(Duration.ofSeconds(5))
        .until(() -> one.inspect("k").l1().state() == LocalState.LOADING);
    gate.countDown();
    assertThat(load.get()).isEqualTo("v@1");
    assertThat(one.inspect("k").l1().state()).isEqualTo(LocalState.VALUE);
  }

  @Test
  void anUnreachableL2_isReported_notThrown() {
    TieredCache<String, String> one = node(true);
    remote.failWith(() -> new IllegalStateException("connection refused"));
    Inspection seen = one.inspect("k");
    assertThat(seen.l2().state()).isNull();
    assertThat(seen.l2().error()).contains("connection refused");
    remote.heal();
  }

  @Test
  void aLocalOnlyCache_hasNoL2() {
    TieredCache<String, String> one = node(false);
    source.put("k", "v@1");
    one.get("k");
    assertThat(one.inspect("k").l2()).isNull();
    assertThat(one.inspect("k").l1().state()).isEqualTo(LocalState.VALUE);
  }
}
