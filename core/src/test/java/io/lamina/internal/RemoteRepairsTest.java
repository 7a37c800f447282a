package io.lamina.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.lamina.spi.RemoteStore;
import io.lamina.spi.Version;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Repairs stop with their cache: none starts after close, and one cut short by the closing client is no alarm. */
class RemoteRepairsTest {

  private final Logger logger = Logger.getLogger(RemoteRepairs.class.getName());
  private final List<LogRecord> warnings = new CopyOnWriteArrayList<>();
  private final Handler capture = new Handler() {
    @Override
    public void publish(LogRecord record) {
      if (record.getLevel().intValue() >= Level.WARNING.intValue()) {
        warnings.add(record);
      }
    }

    @Override
    public void flush() {}

    @Override
    public void close() {}
  };
  private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
  private final AtomicInteger fenceCalls = new AtomicInteger();

  @BeforeEach
  void listen() {
    logger.addHandler(capture);
  }

  @AfterEach
  void stop() {
    logger.removeHandler(capture);
    scheduler.shutdownNow();
  }

  private RemoteRepairs<String> repairs(RemoteRepairs.RemoteCalls calls) {
    return new RemoteRepairs<>("items", 100, scheduler, Runnable::run, calls, new RemoteRepairs.Landing<>() {
      @Override
      public void tombstoned(String key, String id, Version version) {}

      @Override
      public void stillUnrepaired(String id) {}

      @Override
      public void cleared() {}
    });
  }

  /** Lets every task already scheduled run (delayed ones included), then stops the scheduler. */
  private void drain() throws InterruptedException {
    scheduler.shutdown();
    assertThat(scheduler.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
  }

  @Test
  void aRepairDueAfterClose_neverCallsL2() throws Exception {
    RemoteRepairs<String> repairs = repairs(new RemoteRepairs.RemoteCalls() {
      @Override
      public List<Version> fenceAll(List<String> ids, long[] fences) {
        fenceCalls.incrementAndGet();
        return List.of(Version.NONE);
      }

      @Override
      public void clear() {
        fenceCalls.incrementAndGet();
      }
    });
    repairs.tombstone("k", "k", RemoteStore.NO_FENCE);
    repairs.close();

    drain();

    assertThat(fenceCalls).hasValue(0);
    assertThat(warnings).extracting(LogRecord::getMessage).noneMatch(m -> m.contains("repair failed"));
  }

  @Test
  void aRepairCutShortByClose_isNotReportedAsAFailure_norRetried() throws Exception {
    CountDownLatch inCall = new CountDownLatch(1);
    CountDownLatch closed = new CountDownLatch(1);
    RemoteRepairs<String> repairs = repairs(new RemoteRepairs.RemoteCalls() {
      @Override
      public List<Version> fenceAll(List<String> ids, long[] fences) {
        fenceCalls.incrementAndGet();
        inCall.countDown();
        try {
          closed.await();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
        throw new RejectedExecutionException("the client is shut down");
      }

      @Override
      public void clear() {}
    });
    repairs.tombstone("k", "k", RemoteStore.NO_FENCE);
    assertThat(inCall.await(10, TimeUnit.SECONDS)).isTrue();
    repairs.close();
    closed.countDown();

    drain();

    assertThat(fenceCalls).hasValue(1);
    assertThat(warnings).extracting(LogRecord::getMessage).noneMatch(m -> m.contains("repair failed"));
    assertThat(repairs.pending()).isEqualTo(1); // not landed, and close() said so
  }
}
