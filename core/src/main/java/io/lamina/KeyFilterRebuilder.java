package io.lamina;

import io.lamina.internal.DefaultExecutor;
import io.lamina.spi.KeyFilter;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The job that keeps a {@link KeyFilter} current: rebuilds it from the source at once and then every period, so
 * ids deleted at the source drop out and a filter that was lost (a Redis flush, a failover) comes back. Rebuilds
 * never overlap; one that fails is logged and counted, and the previous contents stay in service. Close it to stop.
 *
 * <pre>{@code
 * KeyFilterRebuilder job = KeyFilterRebuilder.start(filter, () -> repository.streamIds().iterator(),
 *     Duration.ofHours(1));
 * }</pre>
 */
public final class KeyFilterRebuilder implements AutoCloseable {

  private static final Logger LOG = Logger.getLogger(KeyFilterRebuilder.class.getName());

  private final KeyFilter filter;
  private final Iterable<String> ids;
  private final AtomicBoolean running = new AtomicBoolean();
  private final AtomicLong rebuilds = new AtomicLong();
  private final AtomicLong failures = new AtomicLong();
  private final ScheduledFuture<?> schedule;

  private KeyFilterRebuilder(KeyFilter filter, Iterable<String> ids, Duration period) {
    this.filter = filter;
    this.ids = ids;
    this.schedule = DefaultExecutor.schedule(this::trigger, period);
  }

  /**
   * Starts rebuilding {@code filter} from {@code ids} now and every {@code period}.
   *
   * @param ids every id that exists at the source, read lazily: each rebuild iterates it once, from the start
   */
  public static KeyFilterRebuilder start(KeyFilter filter, Iterable<String> ids, Duration period) {
    Objects.requireNonNull(filter, "filter");
    Objects.requireNonNull(ids, "ids");
    Objects.requireNonNull(period, "period");
    if (period.compareTo(Duration.ofSeconds(1)) < 0) {
      throw new IllegalArgumentException("the key filter rebuild period must be at least 1 s, but was " + period);
    }
    return new KeyFilterRebuilder(filter, ids, period);
  }

  /** Rebuilds that completed. */
  public long rebuilds() {
    return rebuilds.get();
  }

  /** Rebuilds that failed (the previous contents stayed in service). */
  public long failures() {
    return failures.get();
  }

  private void trigger() {
    if (!running.compareAndSet(false, true)) {
      return; // the previous rebuild is still reading the source
    }
    try {
      DefaultExecutor.INSTANCE.execute(this::rebuild);
    } catch (RuntimeException e) {
      running.set(false);
      throw e;
    }
  }

  private void rebuild() {
    try {
      filter.rebuild(ids);
      rebuilds.incrementAndGet();
    } catch (RuntimeException e) {
      failures.incrementAndGet();
      LOG.log(Level.WARNING, "rebuilding key filter " + filter.name() + " failed; its previous contents stay", e);
    } finally {
      running.set(false);
    }
  }

  /** Stops the schedule; a rebuild in progress finishes. */
  @Override
  public void close() {
    schedule.cancel(false);
  }

  @Override
  public String toString() {
    return "KeyFilterRebuilder{" + filter.name() + ", rebuilds=" + rebuilds + ", failures=" + failures + '}';
  }
}
