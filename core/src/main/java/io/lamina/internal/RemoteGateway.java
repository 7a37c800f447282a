package io.lamina.internal;

import io.lamina.Ticker;
import io.lamina.TierUnavailableException;
import io.lamina.TieredCacheConfig;
import io.lamina.TieredCacheListener;
import io.lamina.spi.RemoteEntry;
import io.lamina.spi.RemoteStore;
import io.lamina.spi.ValueCodec;
import io.lamina.spi.Version;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.jspecify.annotations.Nullable;

/**
 * One cache's way to L2: every remote call bounded by the remote timeout and counted by the L2 breaker, values
 * encoded for it and decoded from it, and damaged entries replaced. Every failure leaves here as a
 * {@link TierUnavailableException} that names the cache, the tier and the operation.
 *
 * <p>Past 300 lines because it is the one door to L2: the blocking call (through the breaker or past it), the
 * call that returns a future, and the encoding and decoding whose failures it counts, reports and repairs. Kept
 * together so that no L2 call can skip the timeout, the breaker or the error that names the cache.
 */
final class RemoteGateway<V> {

  private static final Logger LOG = Logger.getLogger(RemoteGateway.class.getName());

  private final String name;
  private final String remoteName;
  private final TieredCacheConfig config;
  private final @Nullable RemoteStore remote;
  private final @Nullable ValueCodec<V> valueCodec;
  private final Guard guard;
  private final Counters counters;
  private final TieredCacheListener listener;
  private final long remoteTimeoutNanos;
  private final long clearTimeoutNanos;
  /**
   * What every call's duration is read on: the system's clock in a cache, not the cache's ticker. The wait it
   * measures is real ({@code future.get}, a timeout on the JDK's delay thread), and so is its measure, which the
   * breaker's slow-call rule and the L2 latency meter read: a test's manual ticker must not make calls free.
   */
  private final Ticker callClock;
  /** The remote timeout of {@link #call}s, which return at once: swept, not a timer per call. */
  private final CallDeadlines deadlines;
  private final LogSafe.Gate encodeFailureLog = new LogSafe.Gate(TimeUnit.SECONDS.toNanos(10));

  RemoteGateway(String name, String remoteName, TieredCacheConfig config, @Nullable RemoteStore remote,
      @Nullable ValueCodec<V> valueCodec, Guard guard, Counters counters, TieredCacheListener listener,
      Timeouts timeouts, Ticker callClock) {
    this.name = name;
    this.remoteName = remoteName;
    this.config = config;
    this.remote = remote;
    this.valueCodec = valueCodec;
    this.guard = guard;
    this.counters = counters;
    this.listener = listener;
    this.callClock = callClock;
    this.remoteTimeoutNanos = timeouts.remote();
    // The system clock, not callClock: the sweep is scheduled on the JDK's delay thread, which waits in real time,
    // so the deadlines it checks must be on that same clock.
    this.deadlines = new CallDeadlines(remoteTimeoutNanos, Ticker.system());
    this.clearTimeoutNanos = timeouts.load();
  }

  /**
   * Clears every key of this cache in L2, allowing it the load timeout (it scans the cache's keys) rather than
   * one round trip's timeout.
   *
   * @throws TierUnavailableException if it failed or did not finish in time
   */
  void clear() {
    CompletableFuture<Void> future;
    try {
      future = remote().clear().toCompletableFuture();
    } catch (RuntimeException e) {
      throw remoteFailure("clear", "failed: " + e, e); // a store that throws instead of failing its future
    }
    try {
      future.get(clearTimeoutNanos, TimeUnit.NANOSECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw remoteFailure("clear", "was interrupted", e);
    } catch (ExecutionException | TimeoutException e) {
      throw remoteFailure("clear", "failed: " + e, e);
    }
  }

  /**
   * Makes a remote call through the L2 breaker and waits for it at most the remote timeout; any failure (an open
   * breaker included) becomes a {@link TierUnavailableException}.
   */
  <T> T await(String operation, Supplier<? extends CompletionStage<T>> call) {
    return await(operation, call, true);
  }

  /**
   * {@link #await(String, Supplier)}, optionally past the breaker: a repair neither waits for an open breaker nor
   * counts on it. It is one pipelined call at a time with a back-off, so it cannot add load that the breaker
   * would need to shed, and it lands as soon as L2 answers again rather than when the breaker next lets a call
   * through (every node refuses the ids it repairs until then).
   */
  <T> T await(String operation, Supplier<? extends CompletionStage<T>> call, boolean throughBreaker) {
    if (throughBreaker) {
      guard.acquireRemote(operation);
    }
    long start = callClock.read();
    CompletableFuture<T> future;
    try {
      future = call.get().toCompletableFuture();
    } catch (RuntimeException e) {
      remoteCallFailed(throughBreaker, operation, start, e);
      throw remoteFailure(operation, "failed: " + e, e);
    }
    try {
      T result = future.get(remoteTimeoutNanos, TimeUnit.NANOSECONDS);
      long end = callClock.read();
      if (throughBreaker) {
        guard.remoteSucceeded(start, end);
      }
      remoteCallEnded(operation, end - start, true);
      return result;
    } catch (TimeoutException e) {
      future.cancel(false);
      remoteCallFailed(throughBreaker, operation, start, e);
      throw remoteFailure(operation, "did not answer within " + config.remoteTimeout(), e);
    } catch (ExecutionException e) {
      Throwable cause = e.getCause() != null ? e.getCause() : e;
      remoteCallFailed(throughBreaker, operation, start, cause);
      throw remoteFailure(operation, "failed: " + cause, cause);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      remoteCallFailed(throughBreaker, operation, start, e);
      throw remoteFailure(operation, "was interrupted", e);
    }
  }

  /**
   * {@link #await(String, Supplier)} without waiting: the call goes through the L2 breaker, is bounded by the
   * remote timeout (given up within an eighth more: {@link CallDeadlines}), and its future completes on the remote
   * client's thread (or, on a timeout, on the JDK's delay thread) with the result or a
   * {@link TierUnavailableException}. Whoever composes on it must not block.
   */
  <T> CompletableFuture<T> call(String operation, Supplier<? extends CompletionStage<T>> call) {
    long start = callClock.read();
    CompletableFuture<T> future;
    try {
      guard.acquireRemote(operation);
      try {
        future = call.get().toCompletableFuture();
      } catch (RuntimeException e) {
        remoteCallFailed(true, operation, start, e);
        throw remoteFailure(operation, "failed: " + e, e);
      }
    } catch (TierUnavailableException e) {
      return CompletableFuture.failedFuture(e);
    }
    CompletableFuture<T> result = new CompletableFuture<>();
    CallDeadlines.Deadline deadline = deadlines.start(() -> {
      TimeoutException timeout = new TimeoutException("no answer within " + config.remoteTimeout());
      remoteCallFailed(true, operation, start, timeout);
      future.cancel(false);
      result.completeExceptionally(remoteFailure(operation, "did not answer within " + config.remoteTimeout(),
          timeout));
    });
    future.whenComplete((value, error) -> {
      if (!deadline.end()) {
        return; // given up already: counted as a timeout, and the caller has its failure
      }
      if (error == null) {
        long end = callClock.read();
        guard.remoteSucceeded(start, end);
        remoteCallEnded(operation, end - start, true);
        result.complete(value);
        return;
      }
      Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
      remoteCallFailed(true, operation, start, cause);
      result.completeExceptionally(remoteFailure(operation, "failed: " + cause, cause));
    });
    return result;
  }

  private void remoteCallFailed(boolean throughBreaker, String operation, long start, Throwable error) {
    long end = callClock.read();
    if (throughBreaker) {
      guard.remoteFailed(start, end, error);
    }
    remoteCallEnded(operation, end - start, false);
  }

  private void remoteCallEnded(String operation, long durationNanos, boolean success) {
    if (listener != TieredCacheListener.NO_OP) {
      ListenerCalls.safely(name, () -> listener.onRemoteCall(name, operation, durationNanos, success));
    }
  }

  private TierUnavailableException remoteFailure(String operation, String what, Throwable cause) {
    counters.remoteFailures.increment();
    ListenerCalls.safely(name, () -> listener.onRemoteFailure(name, operation, cause));
    return new TierUnavailableException(
        "cache '" + name + "': remote tier '" + remoteName + "' " + operation + " " + what, cause);
  }

  RemoteStore remote() {
    return Objects.requireNonNull(remote, "no remote tier");
  }

  ValueCodec<V> codec() {
    return Objects.requireNonNull(valueCodec, "no value codec");
  }

  /**
   * Encodes a value for the remote tier. A value the codec cannot encode (an unregistered class, a value it
   * refuses) or one larger than {@link TieredCacheConfig#maxValueBytes()} is an {@link IllegalArgumentException}
   * naming the value's class, so every caller sees the same clear error.
   */
  byte[] encode(V value) {
    byte[] payload;
    try {
      payload = Envelope.encode(codec(), value);
    } catch (RuntimeException | StackOverflowError e) {
      throw new IllegalArgumentException("cache '" + name + "': the codec cannot encode a value of "
          + value.getClass().getName() + " (" + e + "); a codec that accepts only registered classes needs this"
          + " one registered (the Spring starter's lamina.caches." + name + ".value-types, the Quarkus"
          + " extension's quarkus.lamina.caches.\"" + name + "\".value-types)", e);
    }
    if (payload.length > config.maxValueBytes()) {
      throw new IllegalArgumentException("cache '" + name + "': encoded value of " + payload.length
          + " bytes exceeds maxValueBytes (" + config.maxValueBytes() + ")");
    }
    return payload;
  }

  /**
   * The payload that fills L2 with a loaded value, or null when it cannot be encoded: then the value is served to
   * its caller and stored in neither tier (an L1 entry without its L2 entry would make other nodes load again and
   * this node disagree with them), counted, reported to the listener and logged at most once per 10 s.
   */
  byte @Nullable [] encodeForFill(String id, V value) {
    try {
      return encode(value);
    } catch (IllegalArgumentException e) {
      counters.encodeFailures.increment();
      ListenerCalls.safely(name, () -> listener.onEncodeFailure(name, id, e));
      long dropped = encodeFailureLog.tryPass(callClock.read());
      if (dropped >= 0) {
        LOG.log(Level.WARNING, e.getMessage() + "; the value was served and cached in neither tier"
            + (dropped > 0 ? " (" + dropped + " more since the last report)" : ""));
      }
      return null;
    }
  }

  /** What {@link #decodeRemote} returns for an entry that is a miss because it cannot be read. */
  static final Object UNREADABLE = new Object();

  /**
   * The value of a remote entry: the decoded value for {@code VALUE}, null for any other state, or
   * {@link #UNREADABLE} when it cannot be decoded. A damaged entry is counted and
   * replaced by a tombstone if its version is unchanged; one written by a newer format or another codec is counted
   * and left alone.
   */
  @Nullable Object decodeRemote(String id, RemoteEntry entry) {
    if (entry.state() == RemoteEntry.State.VALUE) {
      byte[] payload = entry.payload();
      try {
        if (payload == null) {
          throw new IllegalArgumentException("value entry without payload");
        }
        if (payload.length > config.maxValueBytes()) {
          // never handed to the codec: no node writes more, and a codec may trust the counts it reads
          throw new IllegalArgumentException("payload of " + payload.length + " bytes exceeds maxValueBytes ("
              + config.maxValueBytes() + ")");
        }
        return Envelope.decode(codec(), payload);
      } catch (Envelope.NewerFormatException e) {
        decodeFailed(id, e);
        return UNREADABLE;
      } catch (RuntimeException e) {
        decodeFailed(id, e);
        replaceCorrupt(id, entry.version());
        return UNREADABLE;
      } catch (StackOverflowError | OutOfMemoryError e) {
        // A payload declaring a huge count or a deep nesting the codec did not refuse: damaged, like any other.
        decodeFailed(id, new IllegalArgumentException("the codec failed on this payload: " + e, e));
        replaceCorrupt(id, entry.version());
        return UNREADABLE;
      }
    }
    if (entry.state() == RemoteEntry.State.CORRUPT) {
      decodeFailed(id, new IllegalArgumentException("remote key holds an entry this tier cannot read"));
      replaceCorrupt(id, entry.version());
      return UNREADABLE;
    }
    return null;
  }

  /**
   * {@link #decodeRemote} with no side effect: {@link #UNREADABLE} for any entry it could not decode, which the
   * caller hands to {@link #decodeRemote} on a thread that may wait (the repair of a damaged entry is a remote
   * call).
   */
  @Nullable Object decodeQuietly(RemoteEntry entry) {
    if (entry.state() == RemoteEntry.State.CORRUPT) {
      return UNREADABLE;
    }
    if (entry.state() != RemoteEntry.State.VALUE) {
      return null;
    }
    byte[] payload = entry.payload();
    if (payload == null || payload.length > config.maxValueBytes()) {
      return UNREADABLE;
    }
    try {
      return Envelope.decode(codec(), payload);
    } catch (RuntimeException | StackOverflowError | OutOfMemoryError e) {
      return UNREADABLE;
    }
  }

  private void decodeFailed(String id, RuntimeException e) {
    counters.decodeFailures.increment();
    ListenerCalls.safely(name, () -> listener.onDecodeFailure(name, id, e));
  }

  private void replaceCorrupt(String id, Version version) {
    try {
      await("removeCorrupt", () -> remote().removeCorrupt(id, version));
    } catch (TierUnavailableException e) {
      LOG.log(Level.FINE, "cache '" + name + "': could not replace a corrupt entry", e);
    }
  }
}
