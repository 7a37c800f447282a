package io.lamina.examples.demo;

import java.util.Locale;
import org.HdrHistogram.Histogram;
import org.jspecify.annotations.Nullable;

/** The demo's closing summary, as text. */
final class Summary {

  private Summary() {}

  static String text(Options o, Load load, Scrape before, Scrape after, Audit.@Nullable Result audit) {
    Scrape d = after.minus(before);
    StringBuilder b = new StringBuilder();
    line(b, "== Lamina demo: %d s, %d catalog instances, %d reads/s and %d writes/s offered",
        o.seconds(), o.instances().size(), o.readRate(), o.writeRate());
    line(b, "requests        reads %,d (304 Not Modified: %,d), writes %,d (refused with 503, nothing changed: %,d), "
        + "lag-probe reads %,d, errors %,d", load.reads.get(), load.notModified.get(), load.writes.get(),
        load.writesRefused.get(), load.probeReads.get(), load.errors.get());
    if (!load.firstError.get().isEmpty()) {
      line(b, "first error     %s", load.firstError.get());
    }
    if (o.redisPid() > 0) {
      line(b, "Redis stopped   %d s: %,d reads answered meanwhile, %,d errors; %,.0f remote calls failed, "
          + "%,.0f stale values served on error", o.outageFor(), load.readsDuringOutage.get(),
          load.errorsDuringOutage.get(), d.remoteFailures(), d.staleOnError());
    }
    line(b, "single-flight   %,.0f waits for another instance's load, %,.0f of them ran out without a wake-up",
        d.leaseWaits(), d.leaseWaitsExpired());
    line(b, "read latency    HTTP round trip p50 %s, p99 %s, max %s", ms(load.readMicros, 50),
        ms(load.readMicros, 99), ms(load.readMicros, 100));
    double gets = d.l1Hits() + d.l1Misses();
    line(b, "hit ratio       L1 %s of %,.0f cache reads; L2 %s of the L1 misses; answered without the source %s",
        pct(d.l1Hits(), gets), gets, pct(d.l2Hits(), d.l2Hits() + d.l2Misses()), pct(gets - d.sourceReads(), gets));
    double httpReads = load.reads.get() + load.probeReads.get();
    line(b, "database        %,.0f product reads over HTTP cost %,.0f SELECTs: %,.0f queries saved (%s)",
        httpReads, d.dbReads(), httpReads - d.dbReads(), pct(httpReads - d.dbReads(), httpReads));
    line(b, "invalidation    a write returned on one instance; the other served the new version to a read sent "
        + "p50 %s, p99 %s, max %s later (0: the first read did; %,d writes, reads every 1 ms)",
        ms(load.lagMicros, 50), ms(load.lagMicros, 99), ms(load.lagMicros, 100), load.lagMicros.getTotalCount());
    if (d.busLagCount() > 0) {
      line(b, "bus lag         publish -> apply on the other instance (lamina.bus.lag): mean %.2f ms over %,.0f "
          + "messages", d.busLagSeconds() / d.busLagCount() * 1_000, d.busLagCount());
    }
    line(b, "staleness       reads older than a write completed before they began: %,d (oldest %.1f ms after "
        + "that write);", load.stale.get(), load.oldestStaleMicros.get() / 1_000.0);
    line(b, "                older than a write completed more than 50 ms before they began: %,d (expected 0)",
        load.staleBeyond50ms.get());
    if (audit != null) {
      line(b, "final audit     %,d reads of the hot products on every instance, 3 s after the load: %,d older than "
          + "the database's row (expected 0)%s", audit.reads(), audit.older(),
          audit.older() > 0 ? "; first: " + audit.firstOlder() : "");
    }
    return b.toString();
  }

  /** The pricing service's lines: its load, its cache and database figures, its staleness and audit. */
  static String pricingText(Load load, PricingScrape d, Audit.@Nullable Result audit) {
    StringBuilder b = new StringBuilder();
    line(b, "pricing         quote reads %,d (304 Not Modified: %,d), discount changes %,d (refused with 503: %,d), "
        + "errors %,d", load.pricingReads.get(), load.pricingNotModified.get(), load.pricingWrites.get(),
        load.pricingWritesRefused.get(), load.pricingErrors.get());
    double gets = d.l1Hits() + d.l1Misses();
    line(b, "                L1 %s of %,.0f cache reads; L2 %s of the L1 misses; %,d quote reads cost %,.0f SELECTs "
        + "(%s saved)", pct(d.l1Hits(), gets), gets, pct(d.l2Hits(), d.l2Hits() + d.l2Misses()),
        load.pricingReads.get(), d.dbReads(), pct(load.pricingReads.get() - d.dbReads(), load.pricingReads.get()));
    line(b, "                single-flight: %,.0f waits for a load already under way, %,.0f of them ran out without a "
        + "wake-up", d.leaseWaits(), d.leaseWaitsExpired());
    line(b, "                quotes older than a discount change completed before they began: %,d; more than 50 ms "
        + "before: %,d (expected 0)", load.pricingStale.get(), load.pricingStaleBeyond50ms.get());
    if (audit != null) {
      line(b, "                final audit: %,d quotes of the hot products, %,d older than the database's row "
          + "(expected 0)%s", audit.reads(), audit.older(), audit.older() > 0 ? "; first: " + audit.firstOlder() : "");
    }
    return b.toString();
  }

  @SuppressWarnings("AnnotateFormatMethod") // private, and every caller passes a literal
  private static void line(StringBuilder b, String format, Object... args) {
    b.append(String.format(Locale.ROOT, format, args)).append('\n');
  }

  private static String ms(Histogram h, double percentile) {
    if (h.getTotalCount() == 0) {
      return "-";
    }
    long micros = percentile >= 100 ? h.getMaxValue() : h.getValueAtPercentile(percentile);
    return String.format(Locale.ROOT, "%.2f ms", micros / 1_000.0);
  }

  private static String pct(double part, double whole) {
    return whole <= 0 ? "-" : String.format(Locale.ROOT, "%.1f %%", 100 * part / whole);
  }
}
