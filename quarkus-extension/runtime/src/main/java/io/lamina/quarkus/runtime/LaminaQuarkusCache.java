package io.lamina.quarkus.runtime;

import io.lamina.TieredCache;
import io.lamina.quarkus.LaminaCache;
import io.quarkus.cache.runtime.AbstractCache;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import java.util.function.Predicate;
import org.jspecify.annotations.Nullable;

/**
 * A Quarkus cache over a {@link TieredCache}: {@code @CacheResult} is Lamina's guarded, single-flight
 * read-through (a null result is cached as a negative result), {@code @CacheInvalidate} and
 * {@code @CacheInvalidateAll} invalidate on every instance through the bus.
 *
 * <p>Every returned {@link Uni} is lazy: nothing happens until it is subscribed to. A synchronous read runs on the
 * subscribing thread (the caller of the annotated method); an asynchronous one ({@code Uni} or
 * {@code CompletionStage} methods) runs on Lamina's executor, which waits for the method's {@code Uni} at most
 * the cache's load timeout, and its result returns to the caller's Vert.x context when it had one.
 */
final class LaminaQuarkusCache extends AbstractCache implements LaminaCache {

  private final TieredCache<String, Object> cache;

  LaminaQuarkusCache(TieredCache<String, Object> cache) {
    this.cache = Objects.requireNonNull(cache, "cache");
  }

  @Override
  public String getName() {
    return cache.name();
  }

  @Override
  public TieredCache<String, Object> tiered() {
    return cache;
  }

  @Override
  public String idOf(Object key) {
    return KeyIds.toId(Objects.requireNonNull(key, NULL_KEYS_NOT_SUPPORTED_MSG));
  }

  @Override
  @SuppressWarnings("unchecked")
  public <K, V> Uni<V> get(K key, Function<K, V> valueLoader) {
    String id = idOf(key);
    return Uni.createFrom().item(() -> (V) cache.get(id, ignored -> valueLoader.apply(key)));
  }

  /**
   * Runs the lookup on Lamina's executor and, when the caller was on a Vert.x context (an event loop, a
   * reactive route), delivers the result back on that context, as Quarkus' own caches do.
   */
  @Override
  @SuppressWarnings("unchecked")
  public <K, V> Uni<V> getAsync(K key, Function<K, Uni<V>> valueLoader) {
    String id = idOf(key);
    Duration timeout = cache.config().loadTimeout();
    Context caller = Vertx.currentContext();
    Uni<V> result = Uni.createFrom().completionStage(() -> cache.getAsync(id, ignored -> valueLoader.apply(key)
            .await().atMost(timeout)))
        .map(v -> (V) v);
    return caller == null ? result : result.emitOn(command -> caller.runOnContext(ignored -> command.run()));
  }

  @Override
  public Uni<Void> invalidate(Object key) {
    String id = idOf(key);
    return Uni.createFrom().completionStage(() -> cache.invalidateAsync(id));
  }

  @Override
  public Uni<Void> invalidateAll() {
    return Uni.createFrom().completionStage(cache::invalidateAllAsync);
  }

  /**
   * Invalidates the whole cache on every instance: Lamina cannot list another instance's keys, and removing
   * more than asked is always safe for a cache (the next reads load).
   */
  @Override
  public Uni<Void> invalidateIf(Predicate<Object> predicate) {
    Objects.requireNonNull(predicate, "predicate");
    return invalidateAll();
  }

  @Override
  public CompletableFuture<@Nullable Object> getIfPresent(Object key) {
    return cache.getIfPresentAsync(idOf(key));
  }

  @Override
  public CompletableFuture<Void> put(Object key, Object value) {
    return cache.putAsync(idOf(key), Objects.requireNonNull(value, "value"));
  }

  @Override
  public String toString() {
    return "LaminaCache[" + cache.name() + "]";
  }
}
