package io.lamina.bus;

import io.lamina.Redact;
import io.nats.client.Connection;
import io.nats.client.Consumer;
import io.nats.client.ErrorListener;
import io.nats.client.Message;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * What jnats reports about the connections Lamina makes, logged at a pace an operator can read: jnats' own
 * listener logs every failed reconnect attempt (four a second with Lamina's 250 ms wait) at SEVERE with a stack
 * trace. Here each kind of report is logged at most once per {@link #QUIET_NANOS} as a WARNING naming how many were
 * left out, with user-info removed from URLs. The bus itself needs none of these reports: a disconnect, a slow
 * consumer's dropped messages or a publish discarded from a full outgoing queue reach it as a gap.
 */
final class NatsErrorLog implements ErrorListener {

  static final long QUIET_NANOS = TimeUnit.SECONDS.toNanos(10);
  private static final Logger LOG = Logger.getLogger(NatsErrorLog.class.getName());

  private final LongSupplier clock;
  private final Pace exceptions = new Pace();
  private final Pace errors = new Pace();
  private final Pace slowConsumers = new Pace();
  private final Pace discarded = new Pace();

  NatsErrorLog() {
    this(System::nanoTime);
  }

  NatsErrorLog(LongSupplier clock) {
    this.clock = clock;
  }

  @Override
  public void exceptionOccurred(Connection conn, Exception exp) {
    exceptions.log(clock.getAsLong(), () -> "NATS connection: " + Redact.userInfo(String.valueOf(exp)));
  }

  @Override
  public void errorOccurred(Connection conn, String error) {
    errors.log(clock.getAsLong(), () -> "NATS server error: " + Redact.userInfo(error));
  }

  @Override
  public void messageDiscarded(Connection conn, Message msg) {
    discarded.log(clock.getAsLong(), () -> "NATS outgoing queue full: a message to " + msg.getSubject()
        + " was discarded (peers see a bus gap)");
  }

  @Override
  public void slowConsumerDetected(Connection conn, Consumer consumer) {
    slowConsumers.log(clock.getAsLong(), () -> "NATS slow consumer: messages were dropped (seen as a bus gap)");
  }

  /** One kind of report: the first in each quiet period is logged, the others counted. */
  private static final class Pace {
    private final AtomicLong nextAt = new AtomicLong(Long.MIN_VALUE);
    private final AtomicLong skipped = new AtomicLong();

    void log(long now, Supplier<String> message) {
      long next = nextAt.get();
      if ((next != Long.MIN_VALUE && now - next < 0) || !nextAt.compareAndSet(next, now + QUIET_NANOS)) {
        skipped.incrementAndGet();
        return;
      }
      long left = skipped.getAndSet(0);
      LOG.log(Level.WARNING, () -> message.get() + (left == 0 ? "" : " (" + left + " more like it in the last "
          + TimeUnit.NANOSECONDS.toSeconds(QUIET_NANOS) + " s not logged)"));
    }
  }
}
