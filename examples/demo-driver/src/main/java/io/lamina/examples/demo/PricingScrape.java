package io.lamina.examples.demo;

/** The figures the summary needs from the pricing service's {@code /q/metrics} (its {@code quotes} cache). */
record PricingScrape(double l1Hits, double l1Misses, double l2Hits, double l2Misses, double dbReads,
    double leaseWaits, double leaseWaitsExpired) {

  private static final String CACHE = "quotes";

  static PricingScrape of(CatalogClient pricing) {
    String text = pricing.text("/q/metrics");
    if (text == null) {
      return new PricingScrape(0, 0, 0, 0, 0, 0, 0); // not answering: the summary's figures show it
    }
    Prometheus p = new Prometheus(text);
    return new PricingScrape(p.sum("cache_gets_total", "cache", CACHE, "tier", "l1", "result", "hit"),
        p.sum("cache_gets_total", "cache", CACHE, "tier", "l1", "result", "miss"),
        p.sum("cache_gets_total", "cache", CACHE, "tier", "l2", "result", "hit"),
        p.sum("cache_gets_total", "cache", CACHE, "tier", "l2", "result", "miss"),
        p.sum("pricing_db_queries_total", "kind", "read"),
        p.sum("lamina_protection_lease_waits_total", "cache", CACHE, "outcome", "all"),
        p.sum("lamina_protection_lease_waits_total", "cache", CACHE, "outcome", "expired"));
  }

  PricingScrape minus(PricingScrape o) {
    return new PricingScrape(l1Hits - o.l1Hits, l1Misses - o.l1Misses, l2Hits - o.l2Hits, l2Misses - o.l2Misses,
        dbReads - o.dbReads, leaseWaits - o.leaseWaits, leaseWaitsExpired - o.leaseWaitsExpired);
  }
}
