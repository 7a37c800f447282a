package io.lamina.examples.catalog;

import java.util.List;
import org.jspecify.annotations.Nullable;
import org.springframework.cache.annotation.CacheEvict;
import org.springframework.cache.annotation.CachePut;
import org.springframework.cache.annotation.Cacheable;
import org.springframework.cache.annotation.Caching;
import org.springframework.stereotype.Service;

/**
 * The cached catalog. {@code products} holds rows by id; {@code product-search} holds query results, which any
 * write may change, so every write clears it on every instance.
 */
@Service
public class ProductService {

  static final String PRODUCTS = "products";
  static final String SEARCH = "product-search";

  private final ProductRepository repository;

  ProductService(ProductRepository repository) {
    this.repository = repository;
  }

  /** The product, or null: read through L1, then Redis, then one database query per key at a time. */
  @Cacheable(cacheNames = PRODUCTS, sync = true)
  public @Nullable Product find(long id) {
    return repository.find(id).orElse(null);
  }

  /** A cached query: products whose name contains {@code text}. */
  @Cacheable(cacheNames = SEARCH, sync = true)
  public List<Product> search(String text) {
    return repository.search(text, 50);
  }

  /**
   * Changes a price. The product is invalidated on every instance <em>before</em> the database is touched, so
   * while Redis cannot be reached the write is refused ({@link io.lamina.TierUnavailableException}) and the
   * database keeps the row every cache agrees with; after the update the saved row, with its new version, is put
   * in the cache. A missing product is null.
   */
  @Caching(evict = {@CacheEvict(cacheNames = PRODUCTS, key = "#id", beforeInvocation = true),
      @CacheEvict(cacheNames = SEARCH, allEntries = true)},
      put = @CachePut(cacheNames = PRODUCTS, key = "#id", unless = "#result == null"))
  public @Nullable Product updatePrice(long id, long priceCents) {
    return repository.updatePrice(id, priceCents).orElse(null);
  }

  /** Adds a product; its id may have a cached negative result from an earlier read, so that is dropped. */
  @Caching(evict = {@CacheEvict(cacheNames = PRODUCTS, key = "#result.id()"),
      @CacheEvict(cacheNames = SEARCH, allEntries = true)})
  public Product create(String name, long priceCents) {
    return repository.create(name, priceCents);
  }

  /** Deletes a product everywhere; refused, like a price change, while Redis cannot be reached. */
  @Caching(evict = {@CacheEvict(cacheNames = PRODUCTS, key = "#id", beforeInvocation = true),
      @CacheEvict(cacheNames = PRODUCTS, key = "#id"),
      @CacheEvict(cacheNames = SEARCH, allEntries = true)})
  public boolean delete(long id) {
    return repository.delete(id);
  }
}
