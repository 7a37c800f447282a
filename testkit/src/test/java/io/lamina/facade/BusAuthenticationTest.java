package io.lamina.facade;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lamina.AuthenticatedBus;
import io.lamina.BusConfig;
import io.lamina.KeyCodecs;
import io.lamina.TieredCache;
import io.lamina.TieredCacheConfig;
import io.lamina.ValueCodecs;
import io.lamina.spi.BusChannel;
import io.lamina.spi.BusListener;
import io.lamina.spi.InvalidationBus;
import io.lamina.spi.InvalidationMessage;
import io.lamina.spi.InvalidationMessage.Kind;
import io.lamina.testkit.bus.InMemoryBusNetwork;
import io.lamina.testkit.memory.InMemoryLocalTier;
import io.lamina.testkit.memory.InMemoryRemoteTier;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** With bus authentication, only holders of the shared secret are heard; keys rotate without a gap. */
class BusAuthenticationTest {

  private static final byte[] K1 = key('1');
  private static final byte[] K2 = key('2');

  private final InMemoryBusNetwork network = new InMemoryBusNetwork();
  private final InMemoryRemoteTier remote = new InMemoryRemoteTier();
  private final Map<String, String> source = new ConcurrentHashMap<>();
  private final List<TieredCache<String, String>> nodes = new ArrayList<>();

  private static byte[] key(char fill) {
    byte[] k = new byte[32];
    Arrays.fill(k, (byte) fill);
    return k;
  }

  @AfterEach
  void close() {
    nodes.forEach(TieredCache::close);
  }

  private TieredCache<String, String> node(InvalidationBus bus) {
    TieredCache<String, String> node = TieredCache.<String, String>newBuilder("items")
        .config(TieredCacheConfig.custom().namespace("auth").build())
        .local(InMemoryLocalTier.provider()).remote(remote)
        .keyCodec(KeyCodecs.strings()).valueCodec(ValueCodecs.utf8())
        .loader(source::get)
        .bus(bus)
        .busConfig(new BusConfig(Duration.ofMillis(20), Duration.ofMillis(400), 64, Duration.ofNanos(100_000)))
        .build();
    nodes.add(node);
    return node;
  }

  private static void awaitTrusted(List<TieredCache<String, String>> nodes) {
    Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> nodes.stream().allMatch(n -> n.coherence().trusted()));
  }

  /** Someone who can publish on the channel, without the secret. */
  private BusChannel attacker() {
    return network.connect().open("auth", new BusListener() {
      @Override
      public void onMessage(byte[] message) {}

      @Override
      public void onGap(String reason) {}
    });
  }

  @Test
  void forgedMessages_areDroppedAndCounted_andChangeNothing() throws Exception {
    AuthenticatedBus busA = AuthenticatedBus.wrap(network.connect(), List.of(K1));
    AuthenticatedBus busB = AuthenticatedBus.wrap(network.connect(), List.of(K1));
    TieredCache<String, String> a = node(busA);
    TieredCache<String, String> b = node(busB);
    awaitTrusted(nodes);
    source.put("k", "v1");
    assertThat(b.get("k")).isEqualTo("v1");
    BusChannel forger = attacker();
    long before = b.coherence().flushes();
    for (int i = 0; i < 50; i++) {
      UUID origin = UUID.randomUUID();
      forger.publish(new InvalidationMessage(Kind.FLUSH, origin, 1, 1, 0, "items", List.of()).encode());
      forger.publish(new InvalidationMessage(Kind.HEARTBEAT, origin, 1, 99, 0, "", List.of()).encode());
      byte[] fakeTag = Arrays.copyOf(new InvalidationMessage(Kind.FLUSH, origin, 1, 1, 0, "items", List.of())
          .encode(), 200);
      forger.publish(fakeTag);
    }
    Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> busB.rejected() >= 150);
    Thread.sleep(600); // longer than the detection time: a forged peer that falls silent must not matter
    assertThat(b.coherence().trusted()).isTrue();
    assertThat(b.coherence().flushes()).isEqualTo(before);
    assertThat(b.coherence().malformed()).isGreaterThanOrEqualTo(150);
    assertThat(b.getIfPresent("k")).as("still in L1").isEqualTo("v1");
    source.put("k", "v2");
    a.invalidate("k");
    Awaitility.await().atMost(Duration.ofSeconds(2)).until(() -> "v2".equals(b.get("k")));
  }

  @Test
  void duringRotation_nodesWithTheKeysInEitherOrder_hearEachOther() {
    TieredCache<String, String> a = node(AuthenticatedBus.wrap(network.connect(), List.of(K1, K2)));
    TieredCache<String, String> b = node(AuthenticatedBus.wrap(network.connect(), List.of(K2, K1)));
    awaitTrusted(nodes);
    source.put("k", "v1");
    assertThat(a.get("k")).isEqualTo("v1");
    assertThat(b.get("k")).isEqualTo("v1");
    source.put("k", "v2");
    b.invalidate("k");
    Awaitility.await().atMost(Duration.ofSeconds(2)).until(() -> "v2".equals(a.get("k")));
    assertThat(a.coherence().malformed()).isZero();
    assertThat(b.coherence().malformed()).isZero();
  }

  @Test
  void aNodeWithAnotherKey_isNotHeard() {
    AuthenticatedBus wrong = AuthenticatedBus.wrap(network.connect(), List.of(K2));
    AuthenticatedBus right = AuthenticatedBus.wrap(network.connect(), List.of(K1));
    node(right);
    node(wrong);
    Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> right.rejected() > 0 && wrong.rejected() > 0);
  }

  @Test
  void badKeys_areRefusedNamingTheProblem() {
    InvalidationBus bus = network.connect();
    assertThatThrownBy(() -> AuthenticatedBus.wrap(bus, List.of())).hasMessageContaining("one key");
    assertThatThrownBy(() -> AuthenticatedBus.wrap(bus, List.of("short".getBytes(StandardCharsets.UTF_8))))
        .hasMessageContaining("keys[0]").hasMessageContaining("at least 32");
    assertThatThrownBy(() -> AuthenticatedBus.wrap(bus, List.of(K1, K2, K1))).hasMessageContaining("two");
  }
}
