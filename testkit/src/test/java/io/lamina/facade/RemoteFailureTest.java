package io.lamina.facade;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lamina.RemoteFailureMode;
import io.lamina.TierUnavailableException;
import io.lamina.TieredCache;
import io.lamina.TieredCacheConfig;
import io.lamina.TieredCacheListener;
import io.lamina.ValueCodecs;
import io.lamina.testkit.memory.InMemoryLocalTier;
import io.lamina.testkit.memory.InMemoryRemoteTier;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** What a read does when L2 fails or holds something unreadable. */
class RemoteFailureTest {

  private final InMemoryRemoteTier remote = new InMemoryRemoteTier();
  private final AtomicInteger loads = new AtomicInteger();
  private final List<String> decodeFailures = new CopyOnWriteArrayList<>();
  private final List<TieredCache<?, ?>> opened = new ArrayList<>();

  @AfterEach
  void close() {
    opened.forEach(TieredCache::close);
  }

  private TieredCache<String, String> cache(RemoteFailureMode mode) {
    TieredCache<String, String> c = TieredCache.<String, String>newBuilder("f")
        .config(TieredCacheConfig.custom().remoteFailureMode(mode).build())
        .local(InMemoryLocalTier.provider())
        .remote(remote)
        .valueCodec(ValueCodecs.utf8())
        .listener(new TieredCacheListener() {
          @Override
          public void onDecodeFailure(String cacheName, String id, RuntimeException error) {
            decodeFailures.add(id);
          }
        })
        .loader(k -> {
          loads.incrementAndGet();
          return "v:" + k;
        })
        .build();
    opened.add(c);
    return c;
  }

  @Test
  void bypassMode_loadsFromTheSource_andCachesNothing() {
    TieredCache<String, String> c = cache(RemoteFailureMode.BYPASS);
    remote.failWith(() -> new IOException("down"));
    assertThat(c.get("k")).isEqualTo("v:k");
    assertThat(c.get("k")).isEqualTo("v:k");
    assertThat(loads.get()).as("not cached while L2 is unreachable").isEqualTo(2);
    assertThat(c.stats().remoteFailures()).isEqualTo(2);
    remote.heal();
    c.get("k");
    c.get("k");
    assertThat(loads.get()).isEqualTo(3);
  }

  @Test
  void failMode_throwsNamingTheCacheTierAndOperation() {
    TieredCache<String, String> c = cache(RemoteFailureMode.FAIL);
    remote.failWith(() -> new IOException("connection refused"));
    assertThatThrownBy(() -> c.get("k")).isInstanceOf(TierUnavailableException.class)
        .hasMessageContaining("cache 'f'").hasMessageContaining("remote tier 'memory'")
        .hasMessageContaining("read").hasRootCauseMessage("connection refused");
    assertThat(loads.get()).isZero();
  }

  @Test
  void garbagePayload_isAMiss_counted_replaced_andRefilled() {
    TieredCache<String, String> c = cache(RemoteFailureMode.FAIL);
    TieredCache<String, String> other = cache(RemoteFailureMode.FAIL);
    c.get("k");
    remote.corruptPayload("lamina:f:1:k", "garbage".getBytes(StandardCharsets.UTF_8));
    assertThat(other.get("k")).isEqualTo("v:k");
    assertThat(other.stats().decodeFailures()).isEqualTo(1);
    assertThat(decodeFailures).containsExactly("k");
    assertThat(loads.get()).isEqualTo(2);
    assertThat(remote.stateOf("lamina:f:1:k")).as("refilled with a readable value").isEqualTo("V");
    assertThat(cache(RemoteFailureMode.FAIL).get("k")).isEqualTo("v:k");
    assertThat(loads.get()).isEqualTo(2);
  }

  @Test
  void keyOfAnotherType_isAMiss_andReplaced() {
    TieredCache<String, String> c = cache(RemoteFailureMode.FAIL);
    remote.putForeign("lamina:f:1:k");
    assertThat(c.get("k")).isEqualTo("v:k");
    assertThat(c.stats().decodeFailures()).isEqualTo(1);
    assertThat(remote.stateOf("lamina:f:1:k")).isEqualTo("V");
  }

  @Test
  void entryOfAnotherCodec_isAMiss_andLeftAlone() {
    TieredCache<String, String> c = cache(RemoteFailureMode.FAIL);
    c.get("k");
    byte[] otherCodec = {(byte) 0xA7, 1, 77, 0, 'x'}; // this format, a codec this node does not use
    remote.corruptPayload("lamina:f:1:k", otherCodec);
    TieredCache<String, String> other = cache(RemoteFailureMode.FAIL);
    assertThat(other.get("k")).isEqualTo("v:k");
    assertThat(other.stats().decodeFailures()).isPositive();
    assertThat(remote.stateOf("lamina:f:1:k")).as("a node of another codec (a rolling deploy) wrote it: kept")
        .isEqualTo("V");
  }

  @Test
  void entryOfANewerFormat_isAMiss_andLeftAlone() {
    TieredCache<String, String> c = cache(RemoteFailureMode.FAIL);
    c.get("k");
    byte[] newer = {(byte) 0xA7, 9, 5, 0, 'x'};
    remote.corruptPayload("lamina:f:1:k", newer);
    TieredCache<String, String> other = cache(RemoteFailureMode.FAIL);
    assertThat(other.get("k")).isEqualTo("v:k");
    assertThat(other.stats().decodeFailures()).isPositive();
    assertThat(remote.stateOf("lamina:f:1:k")).isEqualTo("V");
    assertThat(other.getIfPresent("k")).as("a load that could not take a lease is served, cached nowhere").isNull();
  }
}
