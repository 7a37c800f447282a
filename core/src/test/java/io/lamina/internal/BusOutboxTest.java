package io.lamina.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.lamina.BusConfig;
import io.lamina.spi.InvalidationMessage;
import io.lamina.spi.InvalidationMessage.Kind;
import io.lamina.spi.Version;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The outbox publishes a lone invalidation on the writer's thread when the channel takes it without waiting, hands
 * it to the sender thread otherwise, and numbers what it sends in order whichever thread sends.
 */
class BusOutboxTest {

  private static final String SENDER = "outbox-test-sender";

  private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, SENDER);
    t.setDaemon(true);
    return t;
  });
  /** Each read is a millisecond after the last: every write finds the batch delay passed. */
  private final AtomicLong clock = new AtomicLong();
  private final List<InvalidationMessage> published = new ArrayList<>(); // in publish order
  private final List<String> publishingThreads = new ArrayList<>();
  private final AtomicBoolean withoutWaiting = new AtomicBoolean(true);

  @AfterEach
  void stop() {
    scheduler.shutdownNow();
  }

  private BusOutbox outbox(Function<byte[], CompletionStage<Void>> transport) {
    BusConfig config = new BusConfig(Duration.ofMillis(100), Duration.ofSeconds(2), 512, Duration.ofNanos(1_000));
    return new BusOutbox(UUID.randomUUID(), "ns", config, () -> clock.addAndGet(1_000_000), scheduler,
        new BusCounters(), transport, withoutWaiting::get, () -> 0);
  }

  private BusOutbox recordingOutbox() {
    return outbox(bytes -> {
      // Called under the outbox's send lock: the list's order is the publish order.
      published.add(InvalidationMessage.decode(bytes));
      publishingThreads.add(Thread.currentThread().getName());
      return CompletableFuture.completedFuture(null);
    });
  }

  private void drain() throws Exception {
    scheduler.submit(() -> {}).get(10, TimeUnit.SECONDS);
  }

  @Test
  void aLoneInvalidation_isPublishedOnTheWritersThread_beforeTheWriteReturns() {
    BusOutbox outbox = recordingOutbox();

    outbox.invalidated("c", "k1", Version.NONE);

    assertThat(published).extracting(InvalidationMessage::kind).containsExactly(Kind.INVALIDATE);
    assertThat(publishingThreads).containsExactly(Thread.currentThread().getName());
  }

  @Test
  void invalidationsQueuedTogether_leaveInOneMessage_evenAfterAQuietSpell() {
    BusOutbox outbox = recordingOutbox();

    outbox.invalidated("c", List.of("k1", "k2", "k3"), List.of(Version.NONE, Version.NONE, Version.NONE));

    assertThat(published).singleElement().satisfies(m -> assertThat(m.entries())
        .extracting(InvalidationMessage.Entry::id).containsExactly("k1", "k2", "k3"));
  }

  @Test
  void whenTheChannelWouldWait_theSenderThreadPublishes() throws Exception {
    withoutWaiting.set(false);
    BusOutbox outbox = recordingOutbox();

    outbox.invalidated("c", "k1", Version.NONE);
    drain();

    assertThat(published).hasSize(1);
    assertThat(publishingThreads).containsExactly(SENDER);
  }

  @Test
  void aChannelThatCannotSayWhetherItWouldWait_isLeftToTheSenderThread() throws Exception {
    BusOutbox outbox = new BusOutbox(UUID.randomUUID(), "ns", BusConfig.ofDefaults(),
        () -> clock.addAndGet(1_000_000), scheduler, new BusCounters(), bytes -> {
          published.add(InvalidationMessage.decode(bytes));
          publishingThreads.add(Thread.currentThread().getName());
          return CompletableFuture.completedFuture(null);
        }, () -> {
          throw new IllegalStateException("no answer");
        }, () -> 0);

    outbox.invalidated("c", "k1", Version.NONE); // does not throw
    drain();

    assertThat(publishingThreads).containsExactly(SENDER);
  }

  @Test
  void whileTheSenderThreadPublishes_theWriterDoesNotWaitForIt() throws Exception {
    CountDownLatch heartbeatStarted = new CountDownLatch(1);
    CountDownLatch releaseHeartbeat = new CountDownLatch(1);
    List<Kind> order = new ArrayList<>();
    BusOutbox outbox = outbox(bytes -> {
      InvalidationMessage m = InvalidationMessage.decode(bytes);
      order.add(m.kind());
      if (m.kind() == Kind.HEARTBEAT) {
        heartbeatStarted.countDown();
        try {
          releaseHeartbeat.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
      return CompletableFuture.completedFuture(null);
    });
    scheduler.execute(() -> outbox.publish(Kind.HEARTBEAT, "", List.of()));
    assertThat(heartbeatStarted.await(10, TimeUnit.SECONDS)).isTrue();

    long start = System.nanoTime();
    outbox.invalidated("c", "k1", Version.NONE); // the send lock is held by the heartbeat's publish
    long tookMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
    releaseHeartbeat.countDown();
    drain();

    assertThat(tookMillis).as("the writer waited for the sender thread's publish").isLessThan(5_000);
    assertThat(order).containsExactly(Kind.HEARTBEAT, Kind.INVALIDATE);
  }

  @Test
  void aPublishThatThrowsOnTheWritersThread_startsANewEpoch_andTheWriteDoesNotThrow() throws Exception {
    AtomicReference<RuntimeException> failNext = new AtomicReference<>(new IllegalStateException("refused"));
    BusOutbox outbox = outbox(bytes -> {
      RuntimeException e = failNext.getAndSet(null);
      if (e != null) {
        throw e;
      }
      published.add(InvalidationMessage.decode(bytes));
      return CompletableFuture.completedFuture(null);
    });
    long before = outbox.epoch();

    outbox.invalidated("c", "k1", Version.NONE);
    drain();
    outbox.invalidated("c", "k2", Version.NONE);

    assertThat(outbox.epoch()).isNotEqualTo(before);
    assertThat(published).singleElement().satisfies(m -> {
      assertThat(m.epoch()).isNotEqualTo(before);
      assertThat(m.sequence()).isEqualTo(1);
    });
  }

  /**
   * Three writers send at once, on their own threads or through the sender thread when one holds the lock, while
   * the sender thread sends heartbeats: 10,000 rounds. Every id leaves once, invalidations are numbered 1, 2, 3...
   * in the order they were published, and each heartbeat carries the number of the last one before it.
   */
  @Test
  void concurrentWritersAndHeartbeats_numberEveryMessageInPublishOrder() throws Exception {
    BusOutbox outbox = recordingOutbox();
    int writers = 3;
    int rounds = 10_000;
    CyclicBarrier start = new CyclicBarrier(writers + 1);
    List<Thread> threads = new ArrayList<>();
    for (int w = 0; w < writers; w++) {
      int writer = w;
      Thread t = new Thread(() -> {
        try {
          for (int r = 0; r < rounds; r++) {
            start.await(10, TimeUnit.SECONDS);
            outbox.invalidated("c", writer + ":" + r, Version.NONE);
          }
        } catch (Exception e) {
          throw new IllegalStateException(e);
        }
      }, "writer-" + w);
      threads.add(t);
      t.start();
    }
    for (int r = 0; r < rounds; r++) {
      start.await(10, TimeUnit.SECONDS);
      scheduler.execute(() -> {
        outbox.send();
        outbox.publish(Kind.HEARTBEAT, "", List.of());
      });
    }
    for (Thread t : threads) {
      t.join(30_000);
    }
    drain();
    outbox.send();

    Set<String> ids = new HashSet<>();
    long last = 0;
    for (InvalidationMessage m : published) {
      assertThat(m.epoch()).isEqualTo(outbox.epoch());
      if (m.kind() == Kind.HEARTBEAT) {
        assertThat(m.sequence()).as("a heartbeat carries the last number sent before it").isEqualTo(last);
      } else {
        assertThat(m.sequence()).as("invalidations are numbered in publish order").isEqualTo(last + 1);
        last = m.sequence();
        m.entries().forEach(e -> assertThat(ids.add(e.id())).as("sent twice: " + e.id()).isTrue());
      }
    }
    assertThat(ids).hasSize(writers * rounds);
    assertThat(publishingThreads).as("both paths ran").contains(SENDER).anyMatch(n -> n.startsWith("writer-"));
  }
}
