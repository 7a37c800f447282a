package io.lamina.examples.demo;

import java.util.List;

/** The figures the summary needs from every instance's {@code /actuator/prometheus}, summed. */
record Scrape(double l1Hits, double l1Misses, double l2Hits, double l2Misses, double sourceReads,
    double dbReads, double busLagCount, double busLagSeconds, double staleOnError, double remoteFailures,
    double leaseWaits, double leaseWaitsExpired) {

  private static final String CACHE = "products";

  static Scrape of(List<CatalogClient> instances) {
    double[] f = new double[12];
    for (CatalogClient c : instances) {
      String text = c.text("/actuator/prometheus");
      if (text == null) {
        continue; // an instance that does not answer adds nothing; the summary says so through its figures
      }
      Prometheus p = new Prometheus(text);
      f[0] += p.sum("cache_gets_total", "cache", CACHE, "tier", "l1", "result", "hit");
      f[1] += p.sum("cache_gets_total", "cache", CACHE, "tier", "l1", "result", "miss");
      f[2] += p.sum("cache_gets_total", "cache", CACHE, "tier", "l2", "result", "hit");
      f[3] += p.sum("cache_gets_total", "cache", CACHE, "tier", "l2", "result", "miss");
      f[4] += p.sum("lamina_gets_total", "cache", CACHE, "result", "miss"); // each read once: none answered
      f[5] += p.sum("catalog_db_queries_total", "kind", "read");
      f[6] += p.sum("lamina_bus_lag_seconds_count"); // one series per namespace
      f[7] += p.sum("lamina_bus_lag_seconds_sum");
      f[8] += p.sum("lamina_protection_stale_served_total", "cache", CACHE, "reason", "error");
      f[9] += p.sum("lamina_remote_failures_total", "cache", CACHE);
      f[10] += p.sum("lamina_protection_lease_waits_total", "cache", CACHE, "outcome", "all");
      f[11] += p.sum("lamina_protection_lease_waits_total", "cache", CACHE, "outcome", "expired");
    }
    return new Scrape(f[0], f[1], f[2], f[3], f[4], f[5], f[6], f[7], f[8], f[9], f[10], f[11]);
  }

  Scrape minus(Scrape o) {
    return new Scrape(l1Hits - o.l1Hits, l1Misses - o.l1Misses, l2Hits - o.l2Hits, l2Misses - o.l2Misses,
        sourceReads - o.sourceReads, dbReads - o.dbReads, busLagCount - o.busLagCount,
        busLagSeconds - o.busLagSeconds, staleOnError - o.staleOnError, remoteFailures - o.remoteFailures,
        leaseWaits - o.leaseWaits, leaseWaitsExpired - o.leaseWaitsExpired);
  }
}
