package io.lamina.testkit.bus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.lamina.spi.BusChannel;
import io.lamina.spi.BusListener;
import io.lamina.spi.InvalidationBus;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * What every invalidation-bus transport must do: confirm subscriptions, deliver a channel's messages in order to
 * every subscriber (the publisher included), keep namespaces apart, stop after close, and report a lost
 * connection as a gap. Subclass it with two independent connections to the same server.
 */
public abstract class BusContract {

  private static final AtomicLong NAMESPACES = new AtomicLong();

  /** A fresh connection (a node) to the server under test. */
  protected abstract InvalidationBus connect();

  /** Breaks the connections to the server (kill and restart it, or kill the clients), so transports see it. */
  protected abstract void breakConnections();

  /** Messages and gaps one subscriber saw. */
  protected static final class Recorder implements BusListener {
    public final List<Long> messages = new CopyOnWriteArrayList<>();
    public final List<String> gaps = new CopyOnWriteArrayList<>();

    @Override
    public void onMessage(byte[] message) {
      messages.add(ByteBuffer.wrap(message).getLong());
    }

    @Override
    public void onGap(String reason) {
      gaps.add(reason);
    }
  }

  private final List<BusChannel> opened = new ArrayList<>();

  @AfterEach
  void closeChannels() {
    opened.forEach(BusChannel::close);
  }

  protected String namespace() {
    return "contract" + NAMESPACES.incrementAndGet();
  }

  protected BusChannel open(InvalidationBus bus, String namespace, Recorder recorder) throws Exception {
    BusChannel c = bus.open(namespace, recorder);
    opened.add(c);
    c.subscribed().toCompletableFuture().get(10, TimeUnit.SECONDS);
    return c;
  }

  protected static byte[] message(long n) {
    return ByteBuffer.allocate(Long.BYTES).putLong(n).array();
  }

  @Test
  void messages_arriveInOrder_atEverySubscriber_includingThePublisher() throws Exception {
    String ns = namespace();
    Recorder a = new Recorder();
    Recorder b = new Recorder();
    BusChannel publisher = open(connect(), ns, a);
    open(connect(), ns, b);
    for (long i = 0; i < 2_000; i++) {
      publisher.publish(message(i));
    }
    List<Long> expected = new ArrayList<>();
    for (long i = 0; i < 2_000; i++) {
      expected.add(i);
    }
    await().atMost(Duration.ofSeconds(20)).until(() -> b.messages.size() >= 2_000 && a.messages.size() >= 2_000);
    assertThat(b.messages).containsExactlyElementsOf(expected);
    assertThat(a.messages).containsExactlyElementsOf(expected);
  }

  @Test
  void namespaces_areApart() throws Exception {
    Recorder mine = new Recorder();
    Recorder other = new Recorder();
    String ns = namespace();
    BusChannel publisher = open(connect(), ns, mine);
    open(connect(), namespace(), other);
    publisher.publish(message(7)).toCompletableFuture().get(5, TimeUnit.SECONDS);
    await().atMost(Duration.ofSeconds(5)).until(() -> mine.messages.contains(7L));
    publisher.publish(message(8)).toCompletableFuture().get(5, TimeUnit.SECONDS);
    await().atMost(Duration.ofSeconds(5)).until(() -> mine.messages.contains(8L));
    assertThat(other.messages).isEmpty();
  }

  @Test
  void closedChannel_receivesNothing() throws Exception {
    String ns = namespace();
    Recorder closed = new Recorder();
    Recorder open = new Recorder();
    BusChannel gone = open(connect(), ns, closed);
    BusChannel publisher = open(connect(), ns, open);
    gone.close();
    publisher.publish(message(1)).toCompletableFuture().get(5, TimeUnit.SECONDS);
    await().atMost(Duration.ofSeconds(5)).until(() -> open.messages.contains(1L));
    publisher.publish(message(2)).toCompletableFuture().get(5, TimeUnit.SECONDS);
    await().atMost(Duration.ofSeconds(5)).until(() -> open.messages.contains(2L));
    assertThat(closed.messages).isEmpty();
  }

  @Test
  void lostConnection_isReportedAsAGap_orResumedByAReplayingChannel() throws Exception {
    Recorder recorder = new Recorder();
    String ns = namespace();
    BusChannel channel = open(connect(), ns, recorder);
    breakConnections();
    if (!channel.replays()) {
      await().atMost(Duration.ofSeconds(20)).until(() -> !recorder.gaps.isEmpty());
      return;
    }
    // A replaying channel resumes: what is published after the break still arrives, and no gap is claimed.
    Recorder other = new Recorder();
    BusChannel publisher = open(connect(), ns, other);
    await().atMost(Duration.ofSeconds(20)).ignoreExceptions()
        .until(() -> {
          publisher.publish(message(99)).toCompletableFuture().get(2, TimeUnit.SECONDS);
          return true;
        });
    await().atMost(Duration.ofSeconds(20)).until(() -> recorder.messages.contains(99L));
    assertThat(recorder.gaps).isEmpty();
  }
}
