package io.lamina.benchmarks.simulate;

import io.lamina.benchmarks.Latency;
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
import org.apache.commons.rng.UniformRandomProvider;
import org.apache.commons.rng.sampling.distribution.DiscreteSampler;
import org.apache.commons.rng.sampling.distribution.RejectionInversionZipfSampler;
import org.apache.commons.rng.simple.RandomSource;

/**
 * The simulated traffic: on every node, callers that pick a key by Zipf, write it with probability
 * {@code writeShare} (source commit, then the system's invalidation) or read it, then pause {@code think}.
 *
 * @param keys rows in the source
 * @param zipfExponent the skew of key popularity
 * @param writeShare the share of operations that are writes
 * @param callersPerNode concurrent callers on each node
 * @param think the pause after each operation (a service does other work between cache calls)
 */
public record Workload(int keys, double zipfExponent, double writeShare, int callersPerNode, Duration think) {

  /** What one measured window saw. */
  public static final class Outcome {
    final Map<Tier, Latency> readLatency = new EnumMap<>(Tier.class);
    final Latency writeLatency = new Latency();
    final Latency allReads = new Latency();
    final Map<Tier, LongAdder> reads = new EnumMap<>(Tier.class);
    final LongAdder writes = new LongAdder();
    final LongAdder stale = new LongAdder();
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
              source.write(key, () -> invalidate(system, node, key));
              out.writeLatency.record(System.nanoTime() - t0);
              out.writes.increment();
            } else {
              SimSystem.Read read = system.read(node, key);
              long took = System.nanoTime() - t0;
              out.read(read.tier(), took);
              long staleFor = source.staleness(key, read.value().version(), t0);
              if (staleFor >= 0) {
                out.stale.increment();
                out.staleness.record(staleFor);
                out.worstStalenessNanos.accumulateAndGet(staleFor, Math::max);
              }
            }
            LockSupport.parkNanos(think.toNanos());
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

  private static void invalidate(SimSystem system, int node, long key) {
    try {
      system.invalidate(node, key);
    } catch (Exception e) {
      throw new IllegalStateException(system.name() + ": invalidation failed", e);
    }
  }
}
