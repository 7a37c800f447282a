package io.lamina.internal;

import io.github.resilience4j.bulkhead.Bulkhead;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.lamina.CacheLoaderException;
import io.lamina.ProtectionConfig;
import io.lamina.Ticker;
import io.lamina.TierUnavailableException;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.jspecify.annotations.Nullable;

/**
 * One cache's breakers and bulkhead (Resilience4j): a breaker around L2 calls, an optional breaker around the
 * loader, and the bulkhead that loads pass through while L2 cannot be used. Every L2 call is bounded by the
 * remote timeout and every load by the load timeout, so the breakers' half-open trial calls always come back;
 * their half-open state is also bounded in time ({@link ProtectionConfig} refuses a breaker without that bound).
 */
final class Guard {

  private static final Logger LOG = Logger.getLogger(Guard.class.getName());

  private final String cacheName;
  private final Counters counters;
  private final @Nullable CircuitBreaker remoteBreaker;
  private final @Nullable CircuitBreaker loaderBreaker;
  private final Bulkhead bulkhead;
  private final @Nullable MissLimiter missLimiter;
  private final int missRateLimit;

  Guard(String cacheName, ProtectionConfig config, Counters counters, Ticker ticker) {
    this.cacheName = cacheName;
    this.counters = counters;
    CircuitBreaker remote = null;
    if (config.remoteBreaker() != null) {
      remote = CircuitBreaker.of("lamina-" + cacheName + "-remote", config.remoteBreaker());
      remote.getEventPublisher().onStateTransition(e -> LOG.log(Level.WARNING,
          "cache '" + cacheName + "': L2 circuit breaker " + e.getStateTransition()));
    }
    remoteBreaker = remote;
    CircuitBreaker loader = null;
    if (config.loaderBreaker() != null) {
      loader = CircuitBreaker.of("lamina-" + cacheName + "-loader", config.loaderBreaker());
      loader.getEventPublisher().onStateTransition(e -> LOG.log(Level.WARNING,
          "cache '" + cacheName + "': loader circuit breaker " + e.getStateTransition()));
    }
    loaderBreaker = loader;
    bulkhead = Bulkhead.of("lamina-" + cacheName + "-loader", config.loaderBulkhead());
    missRateLimit = config.missRateLimit();
    missLimiter = missRateLimit > 0 ? new MissLimiter(missRateLimit, ticker) : null;
  }

  /** Takes a load of {@code id} from its per-second budget, or fails with {@link CacheLoaderException}. */
  void acquireMiss(String id) {
    MissLimiter limiter = missLimiter;
    if (limiter != null && !limiter.tryAcquire(id)) {
      counters.loadsRejected.increment();
      throw new CacheLoaderException("cache '" + cacheName + "': load of id '" + id + "' not attempted: more than "
          + missRateLimit + " loads of it this second (missRateLimit)");
    }
  }

  /** Asks the L2 breaker for a call; an open breaker fails fast with {@link TierUnavailableException}. */
  void acquireRemote(String operation) {
    CircuitBreaker b = remoteBreaker;
    if (b != null && !b.tryAcquirePermission()) {
      counters.remoteCallsRejected.increment();
      throw new TierUnavailableException("cache '" + cacheName + "': L2 " + operation + " not attempted: the L2"
          + " circuit breaker is " + b.getState());
    }
  }

  void remoteSucceeded(long startNanos, long endNanos) {
    CircuitBreaker b = remoteBreaker;
    if (b != null) {
      b.onSuccess(endNanos - startNanos, TimeUnit.NANOSECONDS);
    }
  }

  void remoteFailed(long startNanos, long endNanos, Throwable error) {
    CircuitBreaker b = remoteBreaker;
    if (b != null) {
      b.onError(endNanos - startNanos, TimeUnit.NANOSECONDS, error);
    }
  }

  /** Whether L2 calls are being refused right now (its breaker is open). */
  boolean remoteOpen() {
    CircuitBreaker b = remoteBreaker;
    return b != null && b.getState() == CircuitBreaker.State.OPEN;
  }

  /**
   * Asks for a load: the loader's breaker must allow it and, when {@code remoteDown}, a bulkhead slot must be
   * free. Returns the permit to {@link #loadFinished}; refusals fail with {@link CacheLoaderException}.
   */
  Permit acquireLoad(Object what, boolean remoteDown) {
    CircuitBreaker b = loaderBreaker;
    if (b != null && !b.tryAcquirePermission()) {
      counters.loadsRejected.increment();
      throw new CacheLoaderException("cache '" + cacheName + "': load of " + what + " not attempted: the loader"
          + " circuit breaker is " + b.getState());
    }
    if (remoteDown && !bulkhead.tryAcquirePermission()) {
      if (b != null) {
        b.releasePermission();
      }
      counters.loadsRejected.increment();
      throw new CacheLoaderException("cache '" + cacheName + "': load of " + what + " not attempted: L2 is"
          + " unavailable and " + bulkhead.getBulkheadConfig().getMaxConcurrentCalls() + " loads are already"
          + " running (loaderBulkhead)");
    }
    return new Permit(remoteDown);
  }

  void loadFinished(Permit permit, long startNanos, long endNanos, @Nullable Throwable error) {
    if (permit.bulkhead) {
      bulkhead.onComplete();
    }
    CircuitBreaker b = loaderBreaker;
    if (b != null) {
      if (error == null) {
        b.onSuccess(endNanos - startNanos, TimeUnit.NANOSECONDS);
      } else {
        b.onError(endNanos - startNanos, TimeUnit.NANOSECONDS, error);
      }
    }
  }

  String remoteBreakerState() {
    CircuitBreaker b = remoteBreaker;
    return b == null ? "NONE" : b.getState().name();
  }

  String loaderBreakerState() {
    CircuitBreaker b = loaderBreaker;
    return b == null ? "NONE" : b.getState().name();
  }

  /** A granted load. */
  record Permit(boolean bulkhead) {}
}
