package io.lamina.quarkus.runtime;

import io.lamina.quarkus.LaminaCache;
import io.lamina.quarkus.LaminaWarmupSource;
import io.lamina.warming.CacheWarmer;
import io.lamina.warming.HotKeyRefresher;
import io.lamina.warming.Warmup;
import io.lamina.warming.WarmupProgress;
import io.quarkus.arc.Arc;
import io.quarkus.arc.InstanceHandle;
import io.quarkus.cache.CacheManager;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.runtime.configuration.ConfigurationException;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;
import org.jboss.logging.Logger;
import org.jspecify.annotations.Nullable;

/**
 * The start-up warm-ups of the application's Lamina caches ({@code quarkus.lamina.caches."name".warming.*}) and
 * their hot-key refreshers ({@code warming.refresh.*}): built, with their settings checked, and started when the
 * application starts (a bad value stops the start-up, naming its property); cancelled and closed when it stops,
 * before the caches close. Warm-ups run on their own threads: start-up does not wait for them.
 *
 * <p>The caches with {@code warming.readiness=true} <em>hold readiness</em>: the {@code Lamina warming} check is
 * DOWN until each of their warm-ups has ended — done, or stopped at its deadline, so never for longer than the
 * longest deadline. Thread-safe.
 */
@Singleton
public class LaminaWarmups {

  private static final Logger log = Logger.getLogger(LaminaWarmups.class);

  private final Map<String, CacheWarmer<String, Object>> warmers = new LinkedHashMap<>();
  private final Map<String, HotKeyRefresher> refreshers = new LinkedHashMap<>();
  private final Set<String> gating = new LinkedHashSet<>();
  private final Map<String, Warmup> started = new LinkedHashMap<>();
  private final List<Consumer<Warmup>> onWarmup = new ArrayList<>();
  private final List<Consumer<HotKeyRefresher>> onRefresher = new ArrayList<>();
  private boolean begun;
  private boolean stopped;

  void onStartup(@Observes StartupEvent event) {
    start();
  }

  void onShutdown(@Observes ShutdownEvent event) {
    stop();
  }

  /** Builds and starts every warm-up and refresher, once; returns without waiting for the warm-ups. */
  synchronized void start() {
    if (begun) {
      return;
    }
    begun = true;
    InstanceHandle<CacheManager> manager = Arc.container().instance(CacheManager.class);
    if (manager.isAvailable()) {
      manager.get().getCacheNames(); // Lamina's caches are built with Quarkus' cache manager
    }
    LaminaCaches caches = Arc.container().select(LaminaCaches.class).get();
    LaminaConfig config = Arc.container().select(LaminaConfig.class).get();
    List<LaminaWarmupSource> sources = new ArrayList<>();
    for (InstanceHandle<LaminaWarmupSource> h : Arc.container().listAll(LaminaWarmupSource.class)) {
      sources.add(h.get());
    }
    Warmers factory = new Warmers(config, caches.remoteTier(), sources);
    try {
      factory.checkDefaults();
      Set<String> names = new TreeSet<>(caches.names());
      for (String name : config.caches().keySet()) {
        Settings s = factory.settings(name);
        if (!names.contains(name) && (factory.enabled(s) || factory.refreshEnabled(s))) {
          String property = s.prefix() + ".warming" + (factory.enabled(s) ? "" : ".refresh") + ".enabled";
          throw new ConfigurationException(property + "=true is not valid: there is no Lamina cache named '" + name
              + "' (Lamina caches: " + names + "); check the name in @CacheResult and its quarkus.cache type",
              Set.of(property));
        }
      }
      for (String name : names) {
        LaminaCache cache = caches.get(name);
        if (cache == null) {
          continue;
        }
        Settings s = factory.settings(name);
        if (factory.enabled(s)) {
          warmers.put(name, factory.warmer(cache.tiered(), s));
          if (factory.readiness(s)) {
            gating.add(name);
          }
        }
        if (factory.refreshEnabled(s)) {
          refreshers.put(name, factory.refresher(cache.tiered(), s));
        }
      }
    } catch (RuntimeException e) {
      refreshers.values().forEach(HotKeyRefresher::close);
      refreshers.clear();
      warmers.clear();
      gating.clear();
      throw e;
    }
    for (LaminaWarmupSource source : sources) {
      if (!warmers.containsKey(source.cache()) && !refreshers.containsKey(source.cache())) {
        log.warnf("Lamina: %s names cache '%s', which is neither warmed nor refreshed"
            + " (quarkus.lamina.caches.%s.warming.enabled=true); it is not used", source.name(), source.cache(),
            Settings.quoted(source.cache()));
      }
    }
    for (Map.Entry<String, CacheWarmer<String, Object>> e : warmers.entrySet()) {
      Warmup warmup = e.getValue().start();
      started.put(e.getKey(), warmup);
      onWarmup.forEach(listener -> listener.accept(warmup));
    }
    refreshers.values().forEach(r -> onRefresher.forEach(listener -> listener.accept(r)));
    if (!gating.isEmpty()) {
      log.infof("Lamina: readiness check 'Lamina warming' is DOWN until the warm-up of %s ends (at most %s)",
          gating, longestGatingDeadline());
    }
  }

  /** Cancels the warm-ups still running and closes the refreshers. */
  @PreDestroy
  synchronized void stop() {
    if (stopped) {
      return;
    }
    stopped = true;
    started.values().forEach(Warmup::cancel);
    refreshers.values().forEach(HotKeyRefresher::close);
  }

  /**
   * Calls {@code warmup} with each warm-up as it starts and {@code refresher} with each refresher (those already
   * running at once): to bind meters, for example.
   */
  public synchronized void onStart(Consumer<Warmup> warmup, Consumer<HotKeyRefresher> refresher) {
    onWarmup.add(warmup);
    onRefresher.add(refresher);
    started.values().forEach(warmup);
    if (begun) {
      refreshers.values().forEach(refresher);
    }
  }

  /** The caches whose warm-up holds readiness. */
  public synchronized Set<String> gatingCaches() {
    return Set.copyOf(gating);
  }

  /**
   * The gating caches whose warm-up has not ended, or a note that the application has not started (the warm-ups
   * are built when it does): readiness is held while this is not empty.
   */
  public synchronized List<String> holding() {
    List<String> out = new ArrayList<>();
    if (!begun) {
      out.add("(the application has not started yet)");
    }
    for (String name : gating) {
      Warmup w = started.get(name);
      if (w == null || !w.isFinished()) {
        out.add(name);
      }
    }
    return out;
  }

  /** The progress of every started warm-up, by cache. */
  public synchronized Map<String, WarmupProgress> progress() {
    Map<String, WarmupProgress> all = new LinkedHashMap<>();
    started.forEach((name, w) -> all.put(name, w.progress()));
    return all;
  }

  /** The warm-up of {@code cache}, or null if it has not started (or the cache is not warmed). */
  public synchronized @Nullable Warmup get(String cache) {
    return started.get(cache);
  }

  /** The running hot-key refreshers, by cache. */
  public synchronized Map<String, HotKeyRefresher> refreshers() {
    return Map.copyOf(refreshers);
  }

  private Duration longestGatingDeadline() {
    Duration longest = Duration.ZERO;
    for (String name : gating) {
      CacheWarmer<String, Object> warmer = warmers.get(name);
      if (warmer == null) {
        continue;
      }
      Duration d = warmer.config().deadline();
      longest = d.compareTo(longest) > 0 ? d : longest;
    }
    return longest;
  }
}
