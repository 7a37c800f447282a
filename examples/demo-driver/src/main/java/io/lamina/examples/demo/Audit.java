package io.lamina.examples.demo;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * After the load (and a pause longer than the staleness bound), every hot product is read from every instance
 * and compared with the row version in the database itself: this catches what the ledger cannot, such as a
 * write whose HTTP call failed after the database had committed it.
 */
final class Audit {

  /** Reads made, and how many served a version older than the database's. */
  record Result(int reads, int older, String firstOlder) {}

  private Audit() {}

  static Result run(String jdbcUrl, List<CatalogClient> instances, int products) throws Exception {
    return run(jdbcUrl, instances, "SELECT id, version FROM products WHERE id <= " + products);
  }

  /** The same for the pricing service: its quotes against the {@code prices} table's row versions. */
  static Result runPricing(String jdbcUrl, CatalogClient pricing, int products) throws Exception {
    return run(jdbcUrl, List.of(pricing), "SELECT product_id, version FROM prices WHERE product_id <= " + products);
  }

  private static Result run(String jdbcUrl, List<CatalogClient> instances, String query) throws Exception {
    Map<Long, Long> versions = new HashMap<>();
    try (Connection c = DriverManager.getConnection(jdbcUrl.contains("user=") ? jdbcUrl
            : jdbcUrl + (jdbcUrl.contains("?") ? "&" : "?") + "user=postgres");
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(query)) {
      while (rs.next()) {
        versions.put(rs.getLong(1), rs.getLong(2));
      }
    } catch (SQLException e) {
      throw new IllegalStateException("the audit could not read the database at " + jdbcUrl, e);
    }
    int reads = 0;
    int older = 0;
    String first = "";
    for (Map.Entry<Long, Long> row : versions.entrySet()) {
      for (CatalogClient instance : instances) {
        long served = instance.get(row.getKey(), null).version();
        reads++;
        if (served < row.getValue()) {
          older++;
          if (first.isEmpty()) {
            first = instance.name + " served product " + row.getKey() + " at version " + served + ", database has "
                + row.getValue();
          }
        }
      }
    }
    return new Result(reads, older, first);
  }
}
