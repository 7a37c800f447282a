package io.lamina.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.lamina.Ticker;
import java.time.Duration;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * A call's deadline is given up by a sweep once passed, never before, and exactly once against the call's own
 * end however the two race; sweeps stop when nothing is in flight.
 */
class CallDeadlinesTest {

  private static final long TIMEOUT = TimeUnit.MILLISECONDS.toNanos(800);

  private final AtomicLong now = new AtomicLong(1_000_000_000L);
  private final Ticker ticker = now::get;

  @Test
  void aCallThatNeverEnds_isGivenUp_onceItsDeadlinePassed_andNotBefore() {
    CallDeadlines deadlines = new CallDeadlines(TIMEOUT, ticker);
    AtomicInteger expired = new AtomicInteger();
    deadlines.start(expired::incrementAndGet);

    now.addAndGet(TIMEOUT - 1);
    deadlines.sweep();
    assertThat(expired).as("one nanosecond before the deadline").hasValue(0);
    assertThat(deadlines.queued()).isEqualTo(1);

    now.addAndGet(1);
    deadlines.sweep();
    deadlines.sweep();
    assertThat(expired).as("at the deadline, once").hasValue(1);
    assertThat(deadlines.queued()).isZero();
  }

  @Test
  void aCallThatEnded_isNeverGivenUp_andIsDropped() {
    CallDeadlines deadlines = new CallDeadlines(TIMEOUT, ticker);
    AtomicInteger expired = new AtomicInteger();
    CallDeadlines.Deadline ended = deadlines.start(expired::incrementAndGet);
    now.addAndGet(TIMEOUT / 2);
    CallDeadlines.Deadline waiting = deadlines.start(expired::incrementAndGet);

    assertThat(ended.end()).isTrue();
    deadlines.sweep();
    assertThat(deadlines.queued()).as("the ended call dropped, the waiting one kept").isEqualTo(1);

    now.addAndGet(TIMEOUT);
    deadlines.sweep();
    assertThat(expired).as("only the call that never ended").hasValue(1);
    assertThat(waiting.end()).as("its end after the expiry loses").isFalse();
    assertThat(ended.end()).as("a second end").isFalse();
  }

  @Test
  void aCallStuckAtTheHead_holdsBackNoDeadlineBehindIt_thatIsDue() {
    CallDeadlines deadlines = new CallDeadlines(TIMEOUT, ticker);
    AtomicInteger expired = new AtomicInteger();
    deadlines.start(expired::incrementAndGet);
    now.addAndGet(1);
    deadlines.start(expired::incrementAndGet);

    now.addAndGet(TIMEOUT);
    deadlines.sweep();
    assertThat(expired).as("both due: the queue is in deadline order").hasValue(2);
  }

  /** The call's answer and the sweep that finds it due, released together, 20,000 times: one wins, never both. */
  @Test
  void anEndRacingItsExpiry_winsOrLoses_exactlyOnce() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(2);
    try {
      CallDeadlines deadlines = new CallDeadlines(TIMEOUT, ticker);
      CyclicBarrier both = new CyclicBarrier(2);
      int endsWon = 0;
      int expiriesWon = 0;
      for (int i = 0; i < 20_000; i++) {
        AtomicInteger expired = new AtomicInteger();
        CallDeadlines.Deadline d = deadlines.start(expired::incrementAndGet);
        now.addAndGet(TIMEOUT);
        Future<Boolean> end = pool.submit(() -> {
          both.await();
          return d.end();
        });
        Future<?> sweep = pool.submit(() -> {
          both.await();
          deadlines.sweep();
          return null;
        });
        boolean ended = end.get(10, TimeUnit.SECONDS);
        sweep.get(10, TimeUnit.SECONDS);
        assertThat((ended ? 1 : 0) + expired.get()).as("iteration %d", i).isEqualTo(1);
        endsWon += ended ? 1 : 0;
        expiriesWon += expired.get();
        deadlines.sweep();
        assertThat(deadlines.queued()).isZero();
      }
      System.out.printf("[CallDeadlinesTest] end won %d, expiry won %d of 20000%n", endsWon, expiriesWon);
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void onTheSystemClock_sweepsRunWhileCallsAreInFlight_andStopWhenNoneIs() {
    CallDeadlines deadlines = new CallDeadlines(TimeUnit.MILLISECONDS.toNanos(80), Ticker.system());
    AtomicInteger expired = new AtomicInteger();
    long started = System.nanoTime();
    deadlines.start(expired::incrementAndGet);
    deadlines.start(expired::incrementAndGet).end();

    await().atMost(Duration.ofSeconds(5)).until(() -> expired.get() == 1);
    assertThat(System.nanoTime() - started).as("not before the timeout").isGreaterThanOrEqualTo(80_000_000L);
    await().atMost(Duration.ofSeconds(5)).until(() -> deadlines.queued() == 0 && !deadlines.sweepScheduled());
    assertThat(expired).hasValue(1);
  }
}
