package io.lamina.examples.pricing;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.inject.Singleton;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * The source of truth: the {@code prices} table. Every statement is counted in {@code pricing.db.queries}
 * (tagged {@code kind=read|write}), so tests and the demo can tell how many queries the cache saved.
 */
@Singleton
public class PriceRepository {

  private static final String COLUMNS = "product_id, list_cents, discount_percent, version";

  private final DataSource db;
  private final Counter reads;
  private final Counter writes;

  PriceRepository(Database database, MeterRegistry registry) {
    this.db = database.dataSource();
    this.reads = Counter.builder("pricing.db.queries").tag("kind", "read")
        .description("SELECT statements sent to the database").register(registry);
    this.writes = Counter.builder("pricing.db.queries").tag("kind", "write")
        .description("INSERT and UPDATE statements sent to the database").register(registry);
  }

  /** The product's price row, or empty when it has none. */
  public Optional<PriceRow> find(long productId) {
    reads.increment();
    return one("SELECT " + COLUMNS + " FROM prices WHERE product_id = ?", productId);
  }

  /** Sets the discount and bumps the row version in one statement; empty when the product has no price. */
  public Optional<PriceRow> updateDiscount(long productId, int discountPercent) {
    writes.increment();
    return one("UPDATE prices SET discount_percent = ?, version = version + 1 WHERE product_id = ? RETURNING "
        + COLUMNS, discountPercent, productId);
  }

  /** Creates the product's price row (version 1), or replaces its figures and bumps its version. */
  public PriceRow upsert(long productId, long listCents, int discountPercent) {
    writes.increment();
    return one("INSERT INTO prices (product_id, list_cents, discount_percent, version) VALUES (?, ?, ?, 1) "
        + "ON CONFLICT (product_id) DO UPDATE SET list_cents = EXCLUDED.list_cents, "
        + "discount_percent = EXCLUDED.discount_percent, version = prices.version + 1 RETURNING " + COLUMNS,
        productId, listCents, discountPercent).orElseThrow();
  }

  private Optional<PriceRow> one(String sql, Object... params) {
    try (Connection c = db.getConnection(); PreparedStatement s = c.prepareStatement(sql)) {
      for (int i = 0; i < params.length; i++) {
        s.setObject(i + 1, params[i]);
      }
      try (ResultSet rs = s.executeQuery()) {
        return rs.next() ? Optional.of(new PriceRow(rs.getLong(1), rs.getLong(2), rs.getInt(3), rs.getLong(4)))
            : Optional.empty();
      }
    } catch (SQLException e) {
      throw new IllegalStateException("database statement failed: " + sql, e);
    }
  }
}
