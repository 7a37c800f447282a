package io.lamina.facade;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.lamina.BusConfig;
import io.lamina.KeyCodecs;
import io.lamina.TieredCache;
import io.lamina.TieredCacheConfig;
import io.lamina.ValueCodecs;
import io.lamina.spi.RemoteStore;
import io.lamina.spi.RemoteStoreSpec;
import io.lamina.spi.RemoteTier;
import io.lamina.spi.Roster;
import io.lamina.testkit.bus.InMemoryBusNetwork;
import io.lamina.testkit.memory.InMemoryLocalTier;
import io.lamina.testkit.memory.InMemoryRemoteTier;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.RepeatedTest;

/**
 * A node that closes leaves the roster for good. A renewal it sent just before closing, still on its way to the
 * remote tier when the leave is sent, must not land after the leave: the closed node would stay a member for
 * another 2 D, and every node that starts meanwhile would wait for a node it can never hear before it trusts.
 */
class BusCloseTest {

  /** A detection time long enough that a renewal's membership (2 D) outlives the test. */
  private static final BusConfig BUS =
      new BusConfig(Duration.ofMillis(50), Duration.ofSeconds(10), 64, Duration.ofNanos(100_000));

  private final InMemoryBusNetwork network = new InMemoryBusNetwork();
  private final InMemoryRemoteTier memory = new InMemoryRemoteTier();
  private final HeldRenewals tier = new HeldRenewals(memory);

  @RepeatedTest(20)
  void aRenewalStillOnItsWay_whenTheNodeCloses_doesNotPutTheNodeBackInTheRoster() {
    TieredCache<String, String> node = TieredCache.<String, String>newBuilder("items")
        .config(TieredCacheConfig.custom().namespace("closing").build())
        .local(InMemoryLocalTier.provider())
        .remote(tier)
        .keyCodec(KeyCodecs.strings())
        .valueCodec(ValueCodecs.utf8())
        .loader(k -> "v")
        .bus(network.connect())
        .busConfig(BUS)
        .build();
    try {
      await().atMost(Duration.ofSeconds(5)).until(() -> node.coherence().trusted());
      tier.holdNextRenewal();
      await().atMost(Duration.ofSeconds(5)).until(() -> tier.held.get() != null);
      // and a newer renewal, answered at once, has followed it: the leave must wait for the older one too
      await().atMost(Duration.ofSeconds(5)).until(() -> tier.passedSinceHeld.get() > 0);
    } finally {
      node.close();
    }
    tier.releaseRenewal();

    await().atMost(Duration.ofSeconds(5)).until(() -> tier.events.contains("renewed") && tier.events.contains("left"));
    assertThat(tier.events).as("what reached the roster, in order").containsExactly("renewed", "left");
    assertThat(tier.members()).as("the roster after the node closed").isEmpty();
  }

  /**
   * The in-memory tier, except that one renewal may be held back: sent by the node, it reaches the roster only
   * when released, as a renewal delayed on its connection would.
   */
  private static final class HeldRenewals implements RemoteTier {
    private final InMemoryRemoteTier memory;
    private final AtomicReference<Runnable> held = new AtomicReference<>();
    private volatile boolean holdNext;
    private final AtomicInteger passedSinceHeld = new AtomicInteger();
    /** What reached the roster after {@link #holdNextRenewal}: "renewed", "left". */
    private final List<String> events = new CopyOnWriteArrayList<>();

    HeldRenewals(InMemoryRemoteTier memory) {
      this.memory = memory;
    }

    void holdNextRenewal() {
      holdNext = true;
    }

    void releaseRenewal() {
      Runnable r = held.get();
      if (r != null) {
        r.run();
      }
    }

    /** The roster's members, read by an observer that renews itself (and is left out). */
    Set<String> members() {
      Set<String> members = new HashSet<>(memory.roster("closing").renew("observer", 60_000).toCompletableFuture()
          .join());
      members.remove("observer");
      return members;
    }

    @Override
    public RemoteStore open(RemoteStoreSpec spec) {
      return memory.open(spec);
    }

    @Override
    public String name() {
      return memory.name();
    }

    @Override
    public Roster roster(String namespace) {
      Roster roster = memory.roster(namespace);
      return new Roster() {
        @Override
        public CompletionStage<Set<String>> renew(String node, long ttlMillis) {
          if (!holdNext) {
            if (held.get() != null) {
              passedSinceHeld.incrementAndGet();
            }
            return roster.renew(node, ttlMillis);
          }
          holdNext = false;
          CompletableFuture<Set<String>> answer = new CompletableFuture<>();
          held.set(() -> {
            events.add("renewed");
            roster.renew(node, ttlMillis).whenComplete((set, error) -> {
              if (error == null) {
                answer.complete(set);
              } else {
                answer.completeExceptionally(error);
              }
            });
          });
          return answer;
        }

        @Override
        public CompletionStage<Void> leave(String node) {
          events.add("left");
          return roster.leave(node);
        }

        @Override
        public CompletionStage<String> serverIdentity() {
          return roster.serverIdentity();
        }
      };
    }
  }
}
