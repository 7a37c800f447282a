package io.lamina.examples.demo;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * Runs the demo's load against two or more catalog instances (and the pricing service, given {@code --pricing})
 * and prints (and writes to {@code --out}) the
 * summary and {@code demo-chart.png}. When given {@code --redis-pid}, it stops that Redis (SIGSTOP) for
 * {@code --outage-for} seconds at {@code --outage-at}. Exits 1 when a read served a version older than a write
 * that had completed more than 50 ms before it, or when nothing was answered.
 */
public final class DemoDriver {

  private DemoDriver() {}

  public static void main(String[] args) throws Exception {
    System.setProperty("java.awt.headless", "true");
    Options options = Options.parse(args);
    List<CatalogClient> instances = new ArrayList<>();
    char name = 'A';
    for (URI uri : options.instances()) {
      instances.add(new CatalogClient("catalog " + name++, uri));
    }
    for (CatalogClient c : instances) {
      awaitHealthy(c);
    }
    URI pricingUri = options.pricing();
    CatalogClient pricing = pricingUri == null ? null : CatalogClient.pricing(pricingUri);
    if (pricing != null) {
      awaitReady(pricing);
    }
    warmUp(options, instances);
    Scrape before = Scrape.of(instances);
    PricingScrape pricingBefore = pricing == null ? null : PricingScrape.of(pricing);
    long start = System.nanoTime();
    Load load = new Load(options, instances, start);
    List<Thread> threads = new ArrayList<>();
    int readers = 6;
    for (int i = 0; i < readers; i++) {
      threads.add(new Thread(() -> load.reader(options.readRate() / (double) readers), "reader-" + i));
    }
    threads.add(new Thread(() -> load.writer(options.writeRate()), "writer"));
    if (pricing != null) {
      threads.addAll(pricingThreads(options, load, pricing));
    }
    threads.forEach(Thread::start);

    List<Chart.Second> seconds = new ArrayList<>();
    double dbBefore = before.dbReads();
    boolean outageDone = options.redisPid() <= 0;
    boolean console = options.progressBar();
    for (int s = 1; s <= options.seconds(); s++) {
      sleepUntil(start + TimeUnit.SECONDS.toNanos(s));
      int elapsed = s;
      if (!outageDone && !load.redisStopped && elapsed >= options.outageAt()) {
        signal("STOP", options.redisPid());
        load.redisStopped = true;
        System.out.printf("%n[%3d s] Redis stopped (SIGSTOP pid %d) for %d s: the catalog keeps answering%n",
            elapsed, options.redisPid(), options.outageFor());
      } else if (load.redisStopped && elapsed >= options.outageAt() + options.outageFor()) {
        signal("CONT", options.redisPid());
        load.redisStopped = false;
        outageDone = true;
        System.out.printf("%n[%3d s] Redis resumed (SIGCONT)%n", elapsed);
      }
      double db = Scrape.of(instances).dbReads();
      seconds.add(new Chart.Second(s, load.answeredPerSecond.get(s - 1), load.errorsPerSecond.get(s - 1),
          Math.max(0, db - dbBefore), load.redisStopped || (s > options.outageAt()
              && s <= options.outageAt() + options.outageFor() && options.redisPid() > 0)));
      dbBefore = db;
      progress(console, s, options.seconds(), load);
    }
    load.stop();
    if (load.redisStopped) {
      signal("CONT", options.redisPid());
    }
    for (Thread t : threads) {
      t.join(10_000);
    }
    Scrape after = Scrape.of(instances);
    PricingScrape pricingAfter = pricing == null ? null : PricingScrape.of(pricing);
    Audit.Result audit = null;
    Audit.Result pricingAudit = null;
    if (options.db() != null) {
      Thread.sleep(3_000); // longer than the staleness bound after a write (2 s)
      audit = Audit.run(options.db(), instances, options.hotProducts());
      if (pricing != null) {
        pricingAudit = Audit.runPricing(options.db(), pricing, options.hotProducts());
      }
    }
    String summary = Summary.text(options, load, before, after, audit);
    if (pricing != null && pricingBefore != null && pricingAfter != null) {
      summary += Summary.pricingText(load, pricingAfter.minus(pricingBefore), pricingAudit);
    }
    System.out.println();
    System.out.print(summary);
    Files.createDirectories(options.out());
    Files.writeString(options.out().resolve("demo-summary.txt"), summary, StandardCharsets.UTF_8);
    Path png = options.out().resolve("demo-chart.png");
    Chart.write(png, seconds, "Lamina demo: 2 catalog instances, " + options.readRate() + " reads/s, "
        + options.writeRate() + " writes/s");
    System.out.println("chart: " + png);
    if (load.reads.get() == 0 || load.staleBeyond50ms.get() > 0 || (audit != null && audit.older() > 0)
        || (pricing != null && load.pricingReads.get() == 0) || load.pricingStaleBeyond50ms.get() > 0
        || (pricingAudit != null && pricingAudit.older() > 0)) {
      System.exit(1);
    }
  }

  /** Fresh JVMs answer slowly at first: some traffic, not counted, until each instance has compiled its paths. */
  private static void warmUp(Options options, List<CatalogClient> instances) throws Exception {
    System.out.printf("warming up for %d s (not counted)%n", options.warmupSeconds());
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(options.warmupSeconds());
    long id = 0;
    while (System.nanoTime() < end) {
      for (CatalogClient c : instances) {
        c.get(1 + id % options.products(), null);
      }
      id++;
    }
  }

  private static void progress(boolean console, int s, int total, Load load) {
    if (!console && s % 5 != 0 && s != total) {
      return;
    }
    int width = 30;
    int done = s * width / total;
    String bar = "#".repeat(done) + ".".repeat(width - done);
    String line = String.format(Locale.ROOT, "[%s] %3d s/%d  reads %,d  writes %,d  errors %,d  stale>50ms %d",
        bar, s, total, load.reads.get(), load.writes.get(), load.errors.get(),
        load.staleBeyond50ms.get() + load.pricingStaleBeyond50ms.get());
    if (load.pricingReads.get() + load.pricingWrites.get() > 0) {
      line += String.format(Locale.ROOT, "  quotes %,d  discounts %,d", load.pricingReads.get(),
          load.pricingWrites.get());
    }
    System.out.print(console ? "\r" + line : line + "\n");
    System.out.flush();
  }

  private static void awaitHealthy(CatalogClient c) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(180);
    while (System.nanoTime() < deadline) {
      String health = c.text("/actuator/health");
      if (health != null && health.contains("\"status\":\"UP\"")) {
        return;
      }
      Thread.sleep(250); // polling a process that is starting; no condition object to wait on
    }
    throw new IllegalStateException(c.name + " at " + c.base + " did not report UP within 180 s; see its log");
  }

  /** Two quote readers at a quarter of the catalog read rate in all; a discount writer at a quarter of its writes. */
  private static List<Thread> pricingThreads(Options options, Load load, CatalogClient pricing) {
    List<Thread> threads = new ArrayList<>();
    for (int i = 0; i < 2; i++) {
      threads.add(new Thread(() -> load.pricingReader(pricing, options.readRate() / 8.0), "pricing-reader-" + i));
    }
    threads.add(new Thread(() -> load.pricingWriter(pricing, options.writeRate() / 4.0), "pricing-writer"));
    return threads;
  }

  /** The pricing service is ready once {@code /q/health/ready} answers 200 (it answers 503 while not). */
  private static void awaitReady(CatalogClient pricing) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(180);
    while (System.nanoTime() < deadline) {
      if (pricing.text("/q/health/ready") != null) {
        return;
      }
      Thread.sleep(250); // polling a process that is starting; no condition object to wait on
    }
    throw new IllegalStateException("pricing at " + pricing.base + " was not ready within 180 s; see its log");
  }

  private static void signal(String signal, long pid) throws IOException, InterruptedException {
    int rc = new ProcessBuilder("kill", "-" + signal, Long.toString(pid)).inheritIO().start().waitFor();
    if (rc != 0) {
      throw new IllegalStateException("kill -" + signal + " " + pid + " failed (" + rc + ")");
    }
  }

  private static void sleepUntil(long nanos) throws InterruptedException {
    long wait = nanos - System.nanoTime();
    if (wait > 0) {
      TimeUnit.NANOSECONDS.sleep(wait);
    }
  }
}
