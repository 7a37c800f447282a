package io.lamina.examples;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;

/** The demo's source of truth: an in-memory table that counts its reads, can be slow, and can be down. */
final class ProductRepository {

  private final Map<Long, Product> rows = new ConcurrentHashMap<>();
  private final AtomicInteger reads = new AtomicInteger();
  private volatile Duration latency = Duration.ZERO;
  private volatile boolean down;

  @Nullable Product find(long id) {
    reads.incrementAndGet();
    if (down) {
      throw new IllegalStateException("the product database is down");
    }
    if (!latency.isZero()) {
      try {
        Thread.sleep(latency.toMillis()); // a query that takes this long, so concurrent callers overlap
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted", e);
      }
    }
    return rows.get(id);
  }

  /** Writes a row, bumping its version as a database would. */
  Product save(long id, String name, long priceCents) {
    return rows.compute(id, (k, old) -> new Product(id, name, priceCents, old == null ? 1 : old.version() + 1));
  }

  int reads() {
    return reads.get();
  }

  void latency(Duration latency) {
    this.latency = latency;
  }

  void down(boolean down) {
    this.down = down;
  }
}
