package io.lamina.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.lamina.ProtectionConfig;
import io.lamina.TierUnavailableException;
import io.lamina.TieredCacheConfig;
import io.lamina.TieredCacheListener;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * The gateway measures every L2 call on the clock it is given: the latency listeners see and the L2 breaker's
 * slow-call rule counts are that clock's, never the system's behind its back.
 */
class RemoteGatewayTest {

  private static final long SECOND = TimeUnit.SECONDS.toNanos(1);

  private final AtomicLong clock = new AtomicLong(42 * SECOND);
  private final List<Long> durations = new CopyOnWriteArrayList<>();
  private final TieredCacheListener listener = new TieredCacheListener() {
    @Override
    public void onRemoteCall(String cacheName, String operation, long durationNanos, boolean success) {
      durations.add(durationNanos);
    }
  };

  private RemoteGateway<String> gateway(ProtectionConfig protection) {
    TieredCacheConfig config = TieredCacheConfig.custom().protection(protection).build();
    Counters counters = new Counters();
    Guard guard = new Guard("items", protection, counters, clock::get);
    return new RemoteGateway<>("items", "test", config, null, null, guard, counters, listener, Timeouts.of(config),
        clock::get);
  }

  /** A remote call that takes {@code nanos} on the injected clock and answers at once in real time. */
  private CompletableFuture<String> taking(long nanos) {
    clock.addAndGet(nanos);
    return CompletableFuture.completedFuture("v");
  }

  @Test
  void aBlockingCall_isMeasuredOnTheInjectedClock() {
    RemoteGateway<String> l2 = gateway(ProtectionConfig.custom().build());

    assertThat(l2.await("read", () -> taking(7_000_000), true)).isEqualTo("v");
    assertThat(l2.await("read", () -> taking(3 * SECOND), false)).isEqualTo("v");

    assertThat(durations).containsExactly(7_000_000L, 3 * SECOND);
  }

  @Test
  void anAsyncCall_isMeasuredOnTheInjectedClock() {
    RemoteGateway<String> l2 = gateway(ProtectionConfig.custom().build());

    assertThat(l2.call("read", () -> taking(11_000_000)).join()).isEqualTo("v");

    assertThat(durations).containsExactly(11_000_000L);
  }

  @Test
  void callsSlowOnTheInjectedClock_openTheL2Breaker() {
    CircuitBreakerConfig breaker = CircuitBreakerConfig.custom().slidingWindowSize(2).minimumNumberOfCalls(2)
        .slowCallDurationThreshold(Duration.ofSeconds(1)).slowCallRateThreshold(50)
        .waitDurationInOpenState(Duration.ofMinutes(1))
        .maxWaitDurationInHalfOpenState(Duration.ofSeconds(5)).build();
    RemoteGateway<String> l2 = gateway(ProtectionConfig.custom().remoteBreaker(breaker).build());

    l2.await("read", () -> taking(2 * SECOND), true);
    l2.call("read", () -> taking(2 * SECOND)).join();

    assertThatThrownBy(() -> l2.await("read", () -> taking(0), true))
        .isInstanceOf(TierUnavailableException.class)
        .hasMessageContaining("L2 read not attempted: the L2 circuit breaker is OPEN");
  }

  @Test
  void anAsyncCallThatNeverAnswers_failsAfterTheRemoteTimeout_andIsCancelled() {
    ProtectionConfig protection = ProtectionConfig.custom().build();
    TieredCacheConfig config = TieredCacheConfig.custom().protection(protection)
        .remoteTimeout(Duration.ofMillis(100)).build();
    Counters counters = new Counters();
    List<Boolean> outcomes = new CopyOnWriteArrayList<>();
    TieredCacheListener outcomeListener = new TieredCacheListener() {
      @Override
      public void onRemoteCall(String cacheName, String operation, long durationNanos, boolean success) {
        outcomes.add(success);
      }
    };
    RemoteGateway<String> l2 = new RemoteGateway<>("items", "test", config, null, null,
        new Guard("items", protection, counters, System::nanoTime), counters, outcomeListener,
        Timeouts.of(config), System::nanoTime);
    CompletableFuture<String> silent = new CompletableFuture<>();

    long start = System.nanoTime();
    CompletableFuture<String> call = l2.call("read", () -> silent);

    assertThatThrownBy(call::join).hasCauseInstanceOf(TierUnavailableException.class)
        .hasMessageContaining("cache 'items': remote tier 'test' read did not answer within PT0.1S");
    assertThat(System.nanoTime() - start).as("not before the timeout").isGreaterThanOrEqualTo(100_000_000L);
    assertThat(silent).as("the call given up").isCancelled();
    assertThat(outcomes).as("counted once, as a failure").containsExactly(false);
    assertThat(counters.remoteFailures.sum()).isEqualTo(1);
  }
}
