package io.lamina.spring;

import io.lamina.warming.CacheWarmer;
import io.lamina.warming.HotKeyRefresher;
import io.lamina.warming.Warmup;
import io.lamina.warming.WarmupProgress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * The start-up warm-ups of an application's caches ({@code lamina.caches.<name>.warming.*}): started once when
 * the application context starts, cancelled when it stops, their progress readable at any time.
 *
 * <p>The <em>readiness gate</em> completes when every warm-up of a cache with {@code warming.readiness=true} has
 * ended — done, or stopped at its deadline — so it always completes; until then the starter keeps the
 * application's readiness at {@code REFUSING_TRAFFIC}. The hot-key refreshers of {@code warming.refresh.*} run
 * from the moment the registry is built until {@link #stop()}. Thread-safe.
 */
public final class LaminaWarmups {

  private final Map<String, CacheWarmer<String, Object>> warmers;
  private final Map<String, HotKeyRefresher> refreshers;
  private final Set<String> gating;
  private final Map<String, Warmup> started = new ConcurrentHashMap<>();
  private final List<Consumer<Warmup>> onStart = new ArrayList<>();
  private final CompletableFuture<Void> gate = new CompletableFuture<>();

  /**
   * @param warmers the warmers by cache name
   * @param gating the caches whose warm-up holds readiness
   */
  public LaminaWarmups(Map<String, CacheWarmer<String, Object>> warmers, Set<String> gating) {
    this(warmers, gating, Map.of());
  }

  /**
   * @param warmers the warmers by cache name
   * @param gating the caches whose warm-up holds readiness
   * @param refreshers the running hot-key refreshers by cache name, closed by {@link #stop()}
   */
  public LaminaWarmups(Map<String, CacheWarmer<String, Object>> warmers, Set<String> gating,
      Map<String, HotKeyRefresher> refreshers) {
    this.refreshers = new LinkedHashMap<>(refreshers);
    this.warmers = new LinkedHashMap<>(warmers);
    this.gating = Set.copyOf(gating);
    if (!warmers.keySet().containsAll(gating)) {
      throw new IllegalArgumentException("readiness gating caches " + gating + " must be warmed: " + warmers.keySet());
    }
    if (gating.isEmpty()) {
      gate.complete(null);
    }
  }

  /** Calls {@code listener} with each warm-up as it starts (to bind meters, for example). */
  public synchronized void onStart(Consumer<Warmup> listener) {
    onStart.add(Objects.requireNonNull(listener, "listener"));
    started.values().forEach(listener);
  }

  /** Starts every warm-up that has not started yet; returns at once. */
  public synchronized void start() {
    List<CompletableFuture<?>> held = new ArrayList<>();
    for (Map.Entry<String, CacheWarmer<String, Object>> e : warmers.entrySet()) {
      Warmup warmup = started.get(e.getKey());
      if (warmup == null) {
        warmup = e.getValue().start();
        started.put(e.getKey(), warmup);
        Warmup w = warmup;
        onStart.forEach(listener -> listener.accept(w));
      }
      if (gating.contains(e.getKey())) {
        held.add(warmup.completion());
      }
    }
    if (!held.isEmpty()) {
      CompletableFuture.allOf(held.toArray(CompletableFuture[]::new)).thenRun(() -> gate.complete(null));
    }
  }

  /** Cancels the warm-ups still running and stops the hot-key refreshers. */
  public void stop() {
    started.values().forEach(Warmup::cancel);
    refreshers.values().forEach(HotKeyRefresher::close);
  }

  /** The hot-key refreshers ({@code warming.refresh.enabled}), by cache. */
  public Map<String, HotKeyRefresher> refreshers() {
    return Collections.unmodifiableMap(refreshers);
  }

  /** The caches that are warmed, in configuration order. */
  public Set<String> caches() {
    return warmers.keySet();
  }

  /** The caches whose warm-up holds readiness. */
  public Set<String> gatingCaches() {
    return gating;
  }

  /** The longest deadline among the gating caches: the most readiness is held. */
  public Duration longestGatingDeadline() {
    Duration longest = Duration.ZERO;
    for (String cache : gating) {
      Duration d = Objects.requireNonNull(warmers.get(cache)).config().deadline();
      longest = d.compareTo(longest) > 0 ? d : longest;
    }
    return longest;
  }

  /** The warm-up of {@code cache}, or null if it has not started (or the cache is not warmed). */
  public @Nullable Warmup get(String cache) {
    return started.get(cache);
  }

  /** The progress of every started warm-up, by cache. */
  public Map<String, WarmupProgress> progress() {
    Map<String, WarmupProgress> all = new LinkedHashMap<>();
    for (String cache : warmers.keySet()) {
      Warmup w = started.get(cache);
      if (w != null) {
        all.put(cache, w.progress());
      }
    }
    return all;
  }

  /** Completes once every readiness-holding warm-up has ended (at once when there is none). */
  public CompletableFuture<Void> readinessGate() {
    return gate.copy();
  }
}
