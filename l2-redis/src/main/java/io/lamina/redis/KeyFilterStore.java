package io.lamina.redis;

import io.lamina.Ticker;
import io.lamina.TierUnavailableException;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.jspecify.annotations.Nullable;
import org.redisson.RedissonObject;
import org.redisson.api.RBloomFilter;
import org.redisson.api.RScript;
import org.redisson.api.RedissonClient;
import org.redisson.api.options.OptionalOptions;
import org.redisson.api.options.PlainOptions;
import org.redisson.client.codec.StringCodec;

/**
 * One key filter's state in Redis as this node knows it, and the bounded calls that read and change it: the
 * pointer as last read, each generation's {@link RBloomFilter} once Redisson has its settings, scripts run against
 * the pointer, and every wait bounded by a deadline on the injected {@link Ticker}, ending in
 * {@link TierUnavailableException}. The read and add paths and the rebuild share it; none of them keeps its own.
 */
final class KeyFilterStore {

  /** An id every generation holds: a generation that holds it is whole, one that does not was lost or switched. */
  static final String SENTINEL = "\u0000lamina.keyfilter.sentinel";
  /** The most ids sent in one command. */
  static final int CHUNK = 1_000;

  private final String name;
  private final String pointer;
  private final Duration callTimeout;
  private final Ticker ticker;
  private final RedissonClient client;
  private final RScript script;
  private final Map<String, CompletableFuture<RBloomFilter<String>>> generations = new ConcurrentHashMap<>();
  private volatile @Nullable KeyFilterView view;

  KeyFilterStore(RedissonClient client, String name, String pointer, Duration callTimeout, Ticker ticker) {
    this.client = client;
    this.name = name;
    this.pointer = pointer;
    this.callTimeout = callTimeout;
    this.ticker = ticker;
    this.script = client.getScript(OptionalOptions.defaults().codec(StringCodec.INSTANCE).timeout(callTimeout)
        .retryAttempts(0));
  }

  String name() {
    return name;
  }

  String pointer() {
    return pointer;
  }

  /** The pointer as last read; null before the first read. */
  @Nullable KeyFilterView view() {
    return view;
  }

  KeyFilterView refresh(long deadline, String operation) {
    List<?> reply;
    try {
      reply = await(script.evalAsync(RScript.Mode.READ_WRITE, KeyFilterScripts.STATE, RScript.ReturnType.LIST,
          List.of(pointer)), deadline, operation);
    } catch (ExecutionException e) {
      throw unavailable(operation + ": reading " + pointer + " failed", e.getCause());
    }
    KeyFilterView fresh = KeyFilterView.parse(reply);
    view = fresh;
    Set<String> live = new LinkedHashSet<>(fresh.targets());
    generations.keySet().retainAll(live);
    return fresh;
  }

  /**
   * The generation's filter once Redisson has read its settings. Redisson reads them lazily on first use and
   * not atomically, so a filter shared before that could be used half-read (a lookup then answers nothing); the
   * first lookup of the sentinel reads them before anyone else gets the filter. A failed one is dropped, to retry.
   */
  CompletableFuture<RBloomFilter<String>> generation(String generation) {
    CompletableFuture<RBloomFilter<String>> ready = generations.computeIfAbsent(generation, g -> {
      RBloomFilter<String> filter = bloomFilter(g);
      return filter.containsAsync(SENTINEL).toCompletableFuture().thenApply(present -> filter);
    });
    if (ready.isCompletedExceptionally()) {
      generations.remove(generation, ready);
    }
    return ready;
  }

  /** Shares a generation this node created, its settings known. */
  void adopt(String generation, RBloomFilter<String> filter) {
    generations.put(generation, CompletableFuture.completedFuture(filter));
  }

  /** Drops what this node holds of a generation: the next use starts from Redis's settings again. */
  void forget(String generation) {
    generations.remove(generation);
  }

  /** Records a switch this node made from {@code replaced} to {@code generation}. */
  void switched(String generation, String replaced) {
    generations.remove(replaced);
    KeyFilterView v = view;
    view = new KeyFilterView(generation, v == null ? List.of() : v.buildingWithout(generation), List.of());
  }

  /** A generation's filter, its settings not yet read. */
  RBloomFilter<String> bloomFilter(String generation) {
    return client.getBloomFilter(filterOptions(generation));
  }

  private PlainOptions filterOptions(String generation) {
    return PlainOptions.name(generation).codec(StringCodec.INSTANCE).timeout(callTimeout).retryAttempts(0);
  }

  static String configOf(String generation) {
    return RedissonObject.suffixName(generation, "config");
  }

  /** Runs a script without waiting for it. */
  CompletionStage<Object> eval(String lua, RScript.ReturnType type, List<Object> keys, Object... args) {
    return script.evalAsync(RScript.Mode.READ_WRITE, lua, type, keys, args);
  }

  /** Runs a script, waiting at most the call timeout. */
  Object call(String lua, RScript.ReturnType type, List<Object> keys, List<?> args, String operation) {
    CompletionStage<Object> stage = eval(lua, type, keys, args.toArray());
    return awaitOrFail(stage, deadline(callTimeout), operation);
  }

  <T> T awaitOrFail(CompletionStage<T> stage, long deadline, String operation) {
    try {
      return await(stage, deadline, operation);
    } catch (ExecutionException e) {
      throw unavailable(operation + " failed", e.getCause());
    }
  }

  /** Waits until the deadline; a timeout or an interrupt becomes {@link TierUnavailableException}. */
  <T> T await(CompletionStage<T> stage, long deadline, String operation) throws ExecutionException {
    long left = deadline - ticker.read();
    try {
      if (left <= 0) {
        throw new TimeoutException();
      }
      return stage.toCompletableFuture().get(left, TimeUnit.NANOSECONDS);
    } catch (TimeoutException e) {
      throw unavailable(operation + " got no answer within " + callTimeout.toMillis() + " ms", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw unavailable(operation + " was interrupted", e);
    }
  }

  /** A call's deadline: now on the ticker plus the call timeout. */
  long callDeadline() {
    return deadline(callTimeout);
  }

  long deadline(Duration timeout) {
    return ticker.read() + timeout.toNanos();
  }

  /** Now on the ticker, to compare with a deadline. */
  long now() {
    return ticker.read();
  }

  TierUnavailableException unavailable(String detail, @Nullable Throwable cause) {
    String message = "key filter '" + name + "': " + detail;
    return new TierUnavailableException(message, cause != null ? cause : new IllegalStateException(detail));
  }
}
