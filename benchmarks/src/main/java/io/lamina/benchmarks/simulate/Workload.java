package io.lamina.benchmarks.simulate;

import io.lamina.benchmarks.Latency;
import io.lamina.benchmarks.Product;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import java.util.function.LongSupplier;
import org.apache.commons.rng.UniformRandomProvider;
import org.apache.commons.rng.sampling.distribution.DiscreteSampler;
import org.apache.commons.rng.sampling.distribution.RejectionInversionZipfSampler;
import org.apache.commons.rng.simple.RandomSource;

/**
 * The simulated traffic: on every node, callers that pick a key by Zipf, write it with probability
 * {@code writeShare} (source commit, then the system's part of the write) or read it, then pause {@code think}
 * (zero: a closed loop, each caller back to back).
 *
 * @param keys rows in the source
 * @param zipfExponent the skew of key popularity
 * @param writeShare the share of operations that are writes
 * @param callersPerNode concurrent callers on each node
 * @param think the pause after each operation (a service does other work between cache calls); zero for none
 * @param write the cache's part of a write
 * @param bound a read staler than this counts as beyond the bound
 */
public record Workload(int keys, double zipfExponent, double writeShare, int callersPerNode, Duration think,
    Write write, Duration bound) {

  /** The cache's part of a write, after the source committed. */
  public enum Write {
    /** Cache-aside: the key is invalidated. */
    INVALIDATE,
    /** The new value is put (Lamina with {@code versionOf}, so an older put cannot win). */
    PUT;

    @Override
    public String toString() {
      return this == INVALIDATE ? "source, then invalidate" : "put with its version";
    }
  }

  /** Paced cache-aside with no bound of interest (the bound is then only a label). */
  public Workload(int keys, double zipfExponent, double writeShare, int callersPerNode, Duration think) {
    this(keys, zipfExponent, writeShare, callersPerNode, think, Write.INVALIDATE, Duration.ofMillis(5));
  }

  /** The same traffic with another write and bound. */
  public Workload with(Write w, Duration b) {
    return new Workload(keys, zipfExponent, writeShare, callersPerNode, think, w, b);
  }

  /** The same traffic with another pause between operations. */
  public Workload thinking(Duration t) {
    return new Workload(keys, zipfExponent, writeShare, callersPerNode, t, write, bound);
  }

  /** What one measured window saw. */
  public static final class Outcome {
    final Map<Tier, Latency> readLatency = new EnumMap<>(Tier.class);
    final Latency writeLatency = new Latency();
    final Latency allReads = new Latency();
    final Map<Tier, LongAdder> reads = new EnumMap<>(Tier.class);
    final LongAdder writes = new LongAdder();
    final LongAdder stale = new LongAdder();
    final LongAdder beyondBound = new LongAdder();
    final LongAdder beyondBoundSettled = new LongAdder();
    final LongAdder readErrors = new LongAdder();
    final LongAdder writeErrors = new LongAdder();
    final AtomicLong worstStalenessNanos = new AtomicLong();
    final Latency staleness = new Latency();
    long sourceReads;
    long elapsedNanos;

    Outcome() {
      for (Tier t : Tier.values()) {
        readLatency.put(t, new Latency());
        reads.put(t, new LongAdder());
      }
    }

    long totalReads() {
      return reads.values().stream().mapToLong(LongAdder::sum).sum();
    }

    long reads(Tier tier) {
      return Objects.requireNonNull(reads.get(tier)).sum();
    }

    Latency latency(Tier tier) {
      return Objects.requireNonNull(readLatency.get(tier));
    }

    void read(Tier tier, long nanos) {
      latency(tier).record(nanos);
      Objects.requireNonNull(reads.get(tier)).increment();
      allReads.record(nanos);
    }
  }

  /** Runs the workload on {@code system} for {@code window}; {@code seed} fixes the key sequences. */
  public Outcome run(SimSystem system, SourceOfTruth source, int nodes, Duration window, long seed)
      throws Exception {
    return run(system, source, nodes, window, seed, () -> Long.MIN_VALUE);
  }

  /**
   * The same, counting apart the reads beyond the bound that began after {@code settledFrom} (a
   * {@link System#nanoTime()} that a fault moves forward while it lasts and resyncs).
   */
  public Outcome run(SimSystem system, SourceOfTruth source, int nodes, Duration window, long seed,
      LongSupplier settledFrom) throws Exception {
    Outcome out = new Outcome();
    int callers = nodes * callersPerNode;
    ExecutorService pool = Executors.newFixedThreadPool(callers);
    long sourceBefore = source.reads();
    long start = System.nanoTime();
    long end = start + window.toNanos();
    try {
      List<Future<?>> work = new ArrayList<>();
      for (int c = 0; c < callers; c++) {
        int node = c % nodes;
        long callerSeed = seed * 1_000 + c;
        work.add(pool.submit(() -> {
          UniformRandomProvider rng = RandomSource.XO_RO_SHI_RO_128_PP.create(callerSeed);
          DiscreteSampler zipf = RejectionInversionZipfSampler.of(rng, keys, zipfExponent);
          while (System.nanoTime() < end) {
            long key = zipf.sample() - 1L;
            long t0 = System.nanoTime();
            if (rng.nextDouble() < writeShare) {
              source.write(key, version -> {
                if (!write(system, node, key, version)) {
                  out.writeErrors.increment(); // the source changed all the same: reads are still judged by it
                }
              });
              out.writeLatency.record(System.nanoTime() - t0);
              out.writes.increment();
            } else {
              SimSystem.Read read;
              try {
                read = system.read(node, key);
              } catch (Exception e) {
                out.readErrors.increment(); // a fault's cost; an error is not a stale read
                pause();
                continue;
              }
              long took = System.nanoTime() - t0;
              out.read(read.tier(), took);
              long staleFor = source.staleness(key, read.value().version(), t0);
              if (staleFor >= 0) {
                out.stale.increment();
                out.staleness.record(staleFor);
                out.worstStalenessNanos.accumulateAndGet(staleFor, Math::max);
                if (staleFor > bound.toNanos()) {
                  out.beyondBound.increment();
                  if (t0 - settledFrom.getAsLong() > 0) {
                    out.beyondBoundSettled.increment();
                  }
                }
              }
            }
            pause();
          }
          return null;
        }));
      }
      for (Future<?> f : work) {
        f.get(window.toMillis() + 120_000, TimeUnit.MILLISECONDS);
      }
    } finally {
      pool.shutdownNow();
    }
    out.elapsedNanos = System.nanoTime() - start;
    out.sourceReads = source.reads() - sourceBefore;
    return out;
  }

  private void pause() {
    if (!think.isZero()) {
      LockSupport.parkNanos(think.toNanos());
    }
  }

  /** The cache's part of a write; false when it failed (a fault: the suite counts it, the run goes on). */
  private boolean write(SimSystem system, int node, long key, long version) {
    try {
      if (write == Write.PUT) {
        system.put(node, Product.of(key, version));
      } else {
        system.invalidate(node, key);
      }
      return true;
    } catch (Exception e) {
      return false;
    }
  }
}
