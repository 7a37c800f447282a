package io.lamina.bus;

import static org.assertj.core.api.Assertions.assertThat;

import io.lamina.spi.BusChannel;
import io.lamina.spi.BusListener;
import io.lamina.testkit.server.NatsServer;
import io.lamina.testkit.server.WithNats;
import io.nats.client.Connection;
import io.nats.client.Nats;
import io.nats.client.Options;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A core NATS channel says it publishes without waiting only while its connection's outgoing queue is less than
 * half full, so a writer's invalidation is never published on the writer's thread when jnats could block it. The
 * server is stopped (SIGSTOP) so that what is published piles up in the client.
 */
@WithNats
class NatsPublishRoomIT {

  private static final int QUEUE = 64;

  private final NatsServer nats;

  NatsPublishRoomIT(NatsServer nats) {
    this.nats = nats;
  }

  @Test
  void aFillingOutgoingQueue_makesTheChannelHandPublishesOff_untilItDrains() throws Exception {
    Options options = Options.builder().server(nats.url()).maxMessagesInOutgoingQueue(QUEUE)
        .pingInterval(Duration.ofSeconds(10)).reconnectBufferSize(0).build();
    try (Connection connection = Nats.connect(options)) {
      BusChannel channel = NatsInvalidationBus.of(connection).open("room", new BusListener() {
        @Override
        public void onMessage(byte[] message) {}

        @Override
        public void onGap(String reason) {}
      });
      channel.subscribed().toCompletableFuture().get(10, TimeUnit.SECONDS);
      assertThat(channel.publishesWithoutWaiting()).isTrue();

      nats.pause();
      try {
        byte[] message = new byte[32 * 1024];
        int published = 0;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        // The socket's buffers fill first, then jnats' queue; stop at the first refusal, before the queue is full
        // (where a publish would block).
        while (channel.publishesWithoutWaiting() && System.nanoTime() < deadline) {
          channel.publish(message).toCompletableFuture().get(10, TimeUnit.SECONDS);
          published++;
        }
        assertThat(channel.publishesWithoutWaiting()).as("after %d publishes", published).isFalse();
        assertThat(connection.outgoingPendingMessageCount()).isBetween((long) QUEUE / 2, (long) QUEUE - 1);
      } finally {
        nats.resume();
      }

      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      while (!channel.publishesWithoutWaiting() && System.nanoTime() < deadline) {
        Thread.sleep(10);
      }
      assertThat(channel.publishesWithoutWaiting()).as("once the server reads again").isTrue();
      channel.close();
    }
  }
}
