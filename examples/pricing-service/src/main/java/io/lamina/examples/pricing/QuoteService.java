package io.lamina.examples.pricing;

import io.quarkus.cache.CacheInvalidate;
import io.quarkus.cache.CacheInvalidateAll;
import io.quarkus.cache.CacheResult;
import jakarta.inject.Singleton;
import org.jspecify.annotations.Nullable;

/**
 * The cached quotes: one per product id in the {@code quotes} cache (L1 in each instance, Redis shared, the NATS
 * bus keeping the L1s coherent). A write changes the database and invalidates the quote on every instance; the
 * next read anywhere loads the new row once.
 */
@Singleton
public class QuoteService {

  static final String QUOTES = "quotes";

  private final PriceRepository repository;

  QuoteService(PriceRepository repository) {
    this.repository = repository;
  }

  /**
   * The product's quote, or null when it has no price: read through L1, then Redis, then one query per key at a
   * time on each instance (distributed single-flight is off: see {@code application.properties}). Null is cached
   * too, as a negative result, for the cache's {@code negative-ttl}.
   */
  @CacheResult(cacheName = QUOTES)
  public @Nullable Quote find(long productId) {
    return repository.find(productId).map(Quote::of).orElse(null);
  }

  /**
   * Changes a discount; null when the product has no price. The quote is invalidated twice. Before the update,
   * so that while Redis cannot be reached the change is refused ({@link io.lamina.TierUnavailableException})
   * with the database untouched. After it, because a read on another instance may have loaded the old row
   * between the first invalidation and the commit: Lamina keeps a load that an invalidation overtook out of both
   * tiers, so the second one stops that old row from being cached. (Quarkus runs {@code @CacheInvalidate}
   * before the method body, hence the empty {@link #evict}.)
   */
  public @Nullable Quote changeDiscount(long productId, int discountPercent) {
    evict(productId);
    Quote saved = repository.updateDiscount(productId, discountPercent).map(Quote::of).orElse(null);
    evict(productId);
    return saved;
  }

  /** Creates or replaces a product's price; a cached "no price" (negative) result is dropped like any quote. */
  public Quote setPrice(long productId, long listCents, int discountPercent) {
    evict(productId);
    Quote saved = Quote.of(repository.upsert(productId, listCents, discountPercent));
    evict(productId);
    return saved;
  }

  /**
   * Drops every quote on every instance: for changes made in the database behind the service's back, such as a
   * bulk import of a new price list.
   */
  @CacheInvalidateAll(cacheName = QUOTES)
  public void evictAll() {
  }

  /** Invalidates one quote on every instance (the interceptor does it all; the body has nothing to add). */
  @CacheInvalidate(cacheName = QUOTES)
  void evict(long productId) {
  }
}
