package io.lamina.examples.catalog;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * The source of truth: the {@code products} table. Every statement is counted in {@code catalog.db.queries}
 * (tagged {@code kind=read|write}), so the demo can show how many queries the cache saved.
 */
@Repository
public class ProductRepository {

  private static final String COLUMNS = "id, name, price_cents, version";

  private final JdbcClient jdbc;
  private final Counter reads;
  private final Counter writes;

  ProductRepository(JdbcClient jdbc, MeterRegistry registry) {
    this.jdbc = jdbc;
    this.reads = Counter.builder("catalog.db.queries").tag("kind", "read")
        .description("SELECT statements sent to the database").register(registry);
    this.writes = Counter.builder("catalog.db.queries").tag("kind", "write")
        .description("INSERT, UPDATE and DELETE statements sent to the database").register(registry);
  }

  /** The row, or empty when there is none. */
  public Optional<Product> find(long id) {
    reads.increment();
    return jdbc.sql("SELECT " + COLUMNS + " FROM products WHERE id = ?").param(id).query(Product.class).optional();
  }

  /** Products whose name contains {@code text} (case-insensitive), by id, at most {@code limit}. */
  public List<Product> search(String text, int limit) {
    reads.increment();
    return new ArrayList<>(jdbc.sql("SELECT " + COLUMNS + " FROM products WHERE name ILIKE ? ORDER BY id LIMIT ?")
        .param("%" + text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%")
        .param(limit).query(Product.class).list());
  }

  /** Changes the price and bumps the row version in one statement; empty when the row does not exist. */
  public Optional<Product> updatePrice(long id, long priceCents) {
    writes.increment();
    return jdbc.sql("UPDATE products SET price_cents = ?, version = version + 1 WHERE id = ? RETURNING " + COLUMNS)
        .param(priceCents).param(id).query(Product.class).optional();
  }

  /** Inserts a product with version 1. */
  public Product create(String name, long priceCents) {
    writes.increment();
    return jdbc.sql("INSERT INTO products (name, price_cents, version) VALUES (?, ?, 1) RETURNING " + COLUMNS)
        .param(name).param(priceCents).query(Product.class).single();
  }

  /** Deletes the row; false when there was none. */
  public boolean delete(long id) {
    writes.increment();
    return jdbc.sql("DELETE FROM products WHERE id = ?").param(id).update() > 0;
  }
}
