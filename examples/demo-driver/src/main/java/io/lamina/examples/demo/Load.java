package io.lamina.examples.demo;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import org.HdrHistogram.ConcurrentHistogram;

/**
 * The mixed load. Readers, each a paced loop, GET a product from a random instance — 80 % from a small hot set —
 * and revalidate the ETag they last saw for it a third of the time, like browsers and proxies do. One writer
 * changes a hot product's price on one instance, records the row version the database returned, then reads
 * it from the <em>other</em> instance every millisecond until it serves that version: the time from the
 * write's return to the sending of the read that saw it is the write-to-visible lag (0: the first read did).
 * Every read is checked against the {@link Ledger}.
 *
 * <p>With the pricing service, its own readers GET quotes the same way (a quarter of the catalog's read rate, on
 * top of it) and its own writer changes a hot product's discount (a quarter of the write rate); those reads are
 * checked against the versions the discount changes returned, in a ledger of their own.
 */
final class Load {

  final Ledger ledger = new Ledger();
  final AtomicLong reads = new AtomicLong();
  final AtomicLong notModified = new AtomicLong();
  final AtomicLong errors = new AtomicLong();
  final AtomicReference<String> firstError = new AtomicReference<>("");
  final AtomicLong errorsDuringOutage = new AtomicLong();
  final AtomicLong readsDuringOutage = new AtomicLong();
  final AtomicLong writes = new AtomicLong();
  final AtomicLong writesRefused = new AtomicLong();
  final AtomicLong probeReads = new AtomicLong();
  final AtomicLong stale = new AtomicLong();
  final AtomicLong staleBeyond50ms = new AtomicLong();
  final AtomicLong oldestStaleMicros = new AtomicLong();
  final ConcurrentHistogram readMicros = new ConcurrentHistogram(3);
  final ConcurrentHistogram lagMicros = new ConcurrentHistogram(3);
  final Ledger pricingLedger = new Ledger();
  final AtomicLong pricingReads = new AtomicLong();
  final AtomicLong pricingNotModified = new AtomicLong();
  final AtomicLong pricingWrites = new AtomicLong();
  final AtomicLong pricingWritesRefused = new AtomicLong();
  final AtomicLong pricingStale = new AtomicLong();
  final AtomicLong pricingStaleBeyond50ms = new AtomicLong();
  final AtomicLong pricingErrors = new AtomicLong();
  final AtomicLongArray answeredPerSecond;
  final AtomicLongArray errorsPerSecond;

  private final Options options;
  private final List<CatalogClient> instances;
  private final long startNanos;
  volatile boolean redisStopped;
  private volatile boolean running = true;

  Load(Options options, List<CatalogClient> instances, long startNanos) {
    this.options = options;
    this.instances = instances;
    this.startNanos = startNanos;
    this.answeredPerSecond = new AtomicLongArray(options.seconds() + 10);
    this.errorsPerSecond = new AtomicLongArray(options.seconds() + 10);
  }

  void stop() {
    running = false;
  }

  /** One reader thread's loop, paced at {@code perSecond}. */
  void reader(double perSecond) {
    ThreadLocalRandom random = ThreadLocalRandom.current();
    Map<Long, String> etags = new HashMap<>();
    long interval = (long) (1e9 / perSecond);
    long next = System.nanoTime();
    while (running) {
      next = Math.max(next, System.nanoTime() - 1_000_000_000L) + interval; // behind by a second: no burst
      long id = random.nextInt(100) < 80 ? 1L + random.nextInt(options.hotProducts())
          : 1L + random.nextInt(options.products());
      String etag = random.nextInt(3) == 0 ? etags.get(id) : null;
      CatalogClient instance = instances.get(random.nextInt(instances.size()));
      boolean outage = redisStopped;
      long start = System.nanoTime();
      try {
        CatalogClient.Reply reply = instance.get(id, etag);
        long took = System.nanoTime() - start;
        if (reply.status() != 200 && reply.status() != 304) {
          throw new IllegalStateException("status " + reply.status());
        }
        readMicros.recordValue(Math.max(1, took / 1_000));
        reads.incrementAndGet();
        answeredPerSecond.incrementAndGet(second(System.nanoTime()));
        if (outage) {
          readsDuringOutage.incrementAndGet();
        }
        if (reply.status() == 304) {
          notModified.incrementAndGet();
        } else if (reply.etag() != null) {
          etags.put(id, reply.etag());
        }
        Ledger.Verdict verdict = ledger.check(id, reply.version(), start);
        if (verdict.stale()) {
          stale.incrementAndGet();
          oldestStaleMicros.accumulateAndGet(verdict.ageNanos() / 1_000, Math::max);
          if (verdict.ageNanos() > TimeUnit.MILLISECONDS.toNanos(50)) {
            staleBeyond50ms.incrementAndGet();
          }
        }
      } catch (Exception e) {
        if (e instanceof InterruptedException) {
          return;
        }
        error(outage, "read of product " + id + " on " + instance.name + ": " + e);
      }
      pace(next);
    }
  }

  /** The writer's loop, paced at {@code perSecond}; each write is followed by the lag probe. */
  void writer(double perSecond) {
    ThreadLocalRandom random = ThreadLocalRandom.current();
    long interval = (long) (1e9 / perSecond);
    long next = System.nanoTime();
    int turn = 0;
    while (running) {
      next = Math.max(next, System.nanoTime() - 1_000_000_000L) + interval; // behind by a second: no burst
      long id = 1L + random.nextInt(options.hotProducts());
      CatalogClient writeTo = instances.get(turn % instances.size());
      CatalogClient readFrom = instances.get((turn + 1) % instances.size());
      turn++;
      boolean outage = redisStopped;
      try {
        CatalogClient.Reply written = writeTo.putPrice(id, 100 + random.nextInt(100_000));
        long done = System.nanoTime();
        if (written.status() == 503) {
          writesRefused.incrementAndGet(); // refused before the database was touched: nothing to check
          pace(next);
          continue;
        }
        if (written.status() != 200 || written.version() < 0) {
          throw new IllegalStateException("status " + written.status());
        }
        ledger.completed(id, written.version(), done);
        writes.incrementAndGet();
        long deadline = done + TimeUnit.SECONDS.toNanos(5);
        while (running && System.nanoTime() < deadline) {
          probeReads.incrementAndGet();
          long sent = System.nanoTime();
          if (readFrom.get(id, null).version() >= written.version()) {
            // When the read that saw it was sent: 0 when the first read after the write already did.
            lagMicros.recordValue((sent - done) / 1_000);
            break;
          }
          LockSupport.parkNanos(1_000_000);
        }
      } catch (Exception e) {
        if (e instanceof InterruptedException) {
          return;
        }
        error(outage, "write of product " + id + " on " + writeTo.name + ": " + e);
      }
      pace(next);
    }
  }

  /** One pricing reader thread's loop, paced at {@code perSecond}: quotes, checked like products. */
  void pricingReader(CatalogClient pricing, double perSecond) {
    ThreadLocalRandom random = ThreadLocalRandom.current();
    Map<Long, String> etags = new HashMap<>();
    long interval = (long) (1e9 / perSecond);
    long next = System.nanoTime();
    while (running) {
      next = Math.max(next, System.nanoTime() - 1_000_000_000L) + interval;
      long id = random.nextInt(100) < 80 ? 1L + random.nextInt(options.hotProducts())
          : 1L + random.nextInt(options.products());
      String etag = random.nextInt(3) == 0 ? etags.get(id) : null;
      boolean outage = redisStopped;
      long start = System.nanoTime();
      try {
        CatalogClient.Reply reply = pricing.get(id, etag);
        if (reply.status() != 200 && reply.status() != 304) {
          throw new IllegalStateException("status " + reply.status());
        }
        pricingReads.incrementAndGet(); // not in answeredPerSecond: the chart stays the catalog's
        if (reply.status() == 304) {
          pricingNotModified.incrementAndGet();
        } else if (reply.etag() != null) {
          etags.put(id, reply.etag());
        }
        Ledger.Verdict verdict = pricingLedger.check(id, reply.version(), start);
        if (verdict.stale()) {
          pricingStale.incrementAndGet();
          if (verdict.ageNanos() > TimeUnit.MILLISECONDS.toNanos(50)) {
            pricingStaleBeyond50ms.incrementAndGet();
          }
        }
      } catch (Exception e) {
        if (e instanceof InterruptedException) {
          return;
        }
        pricingErrors.incrementAndGet();
        error(outage, "read of quote " + id + " on pricing: " + e);
      }
      pace(next);
    }
  }

  /** The pricing writer's loop, paced at {@code perSecond}: a hot product's discount changes. */
  void pricingWriter(CatalogClient pricing, double perSecond) {
    ThreadLocalRandom random = ThreadLocalRandom.current();
    long interval = (long) (1e9 / perSecond);
    long next = System.nanoTime();
    while (running) {
      next = Math.max(next, System.nanoTime() - 1_000_000_000L) + interval;
      long id = 1L + random.nextInt(options.hotProducts());
      boolean outage = redisStopped;
      try {
        CatalogClient.Reply written = pricing.putDiscount(id, random.nextInt(50));
        long done = System.nanoTime();
        if (written.status() == 503) {
          pricingWritesRefused.incrementAndGet();
        } else if (written.status() != 200 || written.version() < 0) {
          throw new IllegalStateException("status " + written.status());
        } else {
          pricingLedger.completed(id, written.version(), done);
          pricingWrites.incrementAndGet();
        }
      } catch (Exception e) {
        if (e instanceof InterruptedException) {
          return;
        }
        pricingErrors.incrementAndGet();
        error(outage, "discount change of product " + id + " on pricing: " + e);
      }
      pace(next);
    }
  }

  private void error(boolean outage, String what) {
    firstError.compareAndSet("", what);
    errors.incrementAndGet();
    errorsPerSecond.incrementAndGet(second(System.nanoTime()));
    if (outage) {
      errorsDuringOutage.incrementAndGet();
    }
  }

  int second(long nanos) {
    return (int) Math.min(answeredPerSecond.length() - 1, Math.max(0, (nanos - startNanos) / 1_000_000_000L));
  }

  private void pace(long next) {
    long wait = next - System.nanoTime();
    if (wait > 0) {
      LockSupport.parkNanos(wait);
    }
  }
}
