package io.lamina.examples;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;

/** The demo's source of truth: an in-memory table that counts its reads. */
final class ProductRepository {

  private final Map<Long, Product> rows = new ConcurrentHashMap<>();
  private final AtomicInteger reads = new AtomicInteger();

  @Nullable Product find(long id) {
    reads.incrementAndGet();
    return rows.get(id);
  }

  /** Writes a row, bumping its version as a database would. */
  Product save(long id, String name, long priceCents) {
    return rows.compute(id, (k, old) -> new Product(id, name, priceCents, old == null ? 1 : old.version() + 1));
  }

  int reads() {
    return reads.get();
  }
}
