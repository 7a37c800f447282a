package io.lamina.quarkus.deployment;

import io.quarkus.cache.CacheInvalidate;
import io.quarkus.cache.CacheInvalidateAll;
import io.quarkus.cache.CacheKey;
import io.quarkus.cache.CacheResult;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Singleton;
import java.math.BigDecimal;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/** A service whose every method is cached by Quarkus' annotations; counts how often each reaches its source (a
 * singleton, so tests read its fields directly rather than through a client proxy). */
@Singleton
public class Catalog {

  /** A cached value. */
  public record Product(long id, String name) {}

  final Map<Long, String> rows = new ConcurrentHashMap<>();
  final AtomicInteger productLoads = new AtomicInteger();
  final AtomicInteger priceLoads = new AtomicInteger();
  final AtomicInteger echoLoads = new AtomicInteger();
  final AtomicInteger asyncLoads = new AtomicInteger();

  @CacheResult(cacheName = "products")
  public Product find(long id) {
    productLoads.incrementAndGet();
    String name = rows.get(id);
    return name == null ? null : new Product(id, name);
  }

  @CacheInvalidate(cacheName = "products")
  public void rename(@CacheKey long id, String name) {
    rows.put(id, name);
  }

  @CacheInvalidateAll(cacheName = "products")
  public void reloadAll() {
  }

  @CacheResult(cacheName = "prices")
  public BigDecimal price(@CacheKey String sku, @CacheKey String currency, boolean audited) {
    priceLoads.incrementAndGet();
    return new BigDecimal(sku.length() + currency.length());
  }

  @CacheResult(cacheName = "mixed")
  public String echo(Object key) {
    echoLoads.incrementAndGet();
    return key.getClass().getSimpleName() + ":" + key;
  }

  @CacheResult(cacheName = "greetings")
  public Uni<String> greet(String name) {
    asyncLoads.incrementAndGet();
    return Uni.createFrom().item("hello " + name);
  }

  @CacheResult(cacheName = "farewells")
  public CompletionStage<String> farewell(String name) {
    asyncLoads.incrementAndGet();
    return CompletableFuture.supplyAsync(() -> "bye " + name);
  }
}
