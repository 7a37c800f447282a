package io.lamina.spring;

import io.lamina.TieredCache;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link TieredCache}s of one application, keyed by ids (see {@link CacheKeyConverter}), by name.
 *
 * <p>The caches named in configuration are built when this registry is; others are built on first use when
 * dynamic creation is on, and refused otherwise. Dynamic creation is capped ({@code lamina.max-dynamic-caches}):
 * a cache name can come from request data, and every cache holds memory, meters and a subscription, so past the
 * cap a new name is refused with an error (counted by {@link #refusedCaches()}). Each cache is built once;
 * listeners registered with {@link #onCreate} see every cache exactly once, whether it existed before they
 * registered or came later.
 * {@link #close()} closes every cache (flushing write-behind queues) but not the clients they use.
 *
 * <p>Thread-safe.
 */
public final class LaminaCaches implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(LaminaCaches.class);

  private final Function<String, TieredCache<String, Object>> factory;
  private final Set<String> configured;
  private final boolean dynamic;
  private final int maxDynamic;
  private final AtomicLong refused = new AtomicLong();
  private int dynamicBuilt;
  private final Map<String, TieredCache<String, Object>> caches = new ConcurrentHashMap<>();
  private final List<Consumer<TieredCache<String, Object>>> listeners = new ArrayList<>();
  private boolean closed;

  /** How many caches not named in configuration are built at most, unless {@code lamina.max-dynamic-caches} says. */
  public static final int DEFAULT_MAX_DYNAMIC_CACHES = 100;

  /**
   * Builds the {@code configured} caches with {@code factory} at once; at most
   * {@link #DEFAULT_MAX_DYNAMIC_CACHES} others are built later.
   *
   * @see #LaminaCaches(Function, Collection, boolean, int)
   */
  public LaminaCaches(Function<String, TieredCache<String, Object>> factory, Collection<String> configured,
      boolean dynamic) {
    this(factory, configured, dynamic, DEFAULT_MAX_DYNAMIC_CACHES);
  }

  /**
   * Builds the {@code configured} caches with {@code factory} at once.
   *
   * @param factory builds the cache of a name; it may throw to refuse a bad configuration
   * @param configured the names built now
   * @param dynamic whether other names are built on first use
   * @param maxDynamic how many other names are built at most (the configured ones do not count)
   * @throws IllegalArgumentException if {@code maxDynamic} is negative
   * @throws RuntimeException what the factory threw for a configured cache (the ones built are closed)
   */
  public LaminaCaches(Function<String, TieredCache<String, Object>> factory, Collection<String> configured,
      boolean dynamic, int maxDynamic) {
    if (maxDynamic < 0) {
      throw new IllegalArgumentException("lamina.max-dynamic-caches must be at least 0, was " + maxDynamic);
    }
    this.factory = Objects.requireNonNull(factory, "factory");
    this.configured = Set.copyOf(configured);
    this.dynamic = dynamic;
    this.maxDynamic = maxDynamic;
    try {
      for (String name : configured) {
        create(name);
      }
    } catch (RuntimeException e) {
      close();
      throw e;
    }
  }

  /** The cache named {@code name} if it was built, else null. */
  public @Nullable TieredCache<String, Object> get(String name) {
    return caches.get(name);
  }

  /**
   * The cache named {@code name}, built with the defaults if it is new and dynamic creation is on; null if it
   * is new and dynamic creation is off.
   *
   * @throws IllegalArgumentException if the name is not a valid cache name
   * @throws IllegalStateException if the name is new and {@code lamina.max-dynamic-caches} caches not named in
   *     configuration exist already
   */
  public @Nullable TieredCache<String, Object> getOrCreate(String name) {
    TieredCache<String, Object> cache = caches.get(name);
    if (cache != null) {
      return cache;
    }
    if (!dynamic && !configured.contains(name)) {
      return null;
    }
    return create(name);
  }

  /** The names of the caches built so far, sorted. */
  public Set<String> names() {
    return new TreeSet<>(caches.keySet());
  }

  /** How many new cache names were refused because {@code lamina.max-dynamic-caches} was reached. */
  public long refusedCaches() {
    return refused.get();
  }

  /** Whether caches not named in configuration are built on first use. */
  public boolean isDynamic() {
    return dynamic;
  }

  /** Calls {@code listener} for every cache built so far and every cache built later, once each. */
  public synchronized void onCreate(Consumer<TieredCache<String, Object>> listener) {
    listeners.add(Objects.requireNonNull(listener, "listener"));
    for (String name : names()) {
      TieredCache<String, Object> cache = caches.get(name);
      if (cache != null) {
        listener.accept(cache);
      }
    }
  }

  private synchronized TieredCache<String, Object> create(String name) {
    TieredCache<String, Object> cache = caches.get(name);
    if (cache != null) {
      return cache;
    }
    if (closed) {
      throw new IllegalStateException("Lamina's caches are closed (the application is shutting down); cache '"
          + name + "' cannot be built");
    }
    boolean dynamicName = !configured.contains(name);
    if (dynamicName && dynamicBuilt >= maxDynamic) {
      throw refuse(name);
    }
    cache = factory.apply(name);
    if (dynamicName) {
      dynamicBuilt++;
    }
    caches.put(name, cache);
    log.debug("Lamina cache '{}' built: {}", name, cache.config());
    for (Consumer<TieredCache<String, Object>> listener : listeners) {
      listener.accept(cache);
    }
    return cache;
  }

  private IllegalStateException refuse(String name) {
    long count = refused.incrementAndGet();
    String shown = shown(name);
    if (count == 1) {
      log.warn("Lamina: cache '{}' refused: {} caches not named under lamina.caches exist, the most"
          + " lamina.max-dynamic-caches allows; later refusals are counted (lamina.caches.refused), logged at"
          + " DEBUG", shown, maxDynamic);
    } else {
      log.debug("Lamina: cache '{}' refused (lamina.max-dynamic-caches={}, {} refused so far)", shown, maxDynamic,
          count);
    }
    return new IllegalStateException("Cache '" + shown + "' cannot be built: " + maxDynamic + " caches not named"
        + " under lamina.caches exist already, the most lamina.max-dynamic-caches allows. Name the cache under"
        + " lamina.caches, raise lamina.max-dynamic-caches, or check that cache names do not come from request data");
  }

  /** A name from outside, fit for a log line: at most 64 characters, anything but [A-Za-z0-9._-] as '?'. */
  private static String shown(String name) {
    String cut = name.length() > 64 ? name.substring(0, 64) + "..." : name;
    return cut.replaceAll("[^A-Za-z0-9._-]", "?");
  }

  /** Closes every cache; the registry builds no more afterwards. */
  @Override
  public synchronized void close() {
    closed = true;
    for (String name : names()) {
      TieredCache<String, Object> cache = caches.remove(name);
      if (cache == null) {
        continue;
      }
      try {
        cache.close();
      } catch (RuntimeException e) {
        log.warn("Closing Lamina cache '{}' failed", name, e);
      }
    }
  }
}
