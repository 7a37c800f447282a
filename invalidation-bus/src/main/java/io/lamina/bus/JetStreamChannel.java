package io.lamina.bus;

import io.lamina.spi.BusChannel;
import io.lamina.spi.BusListener;
import io.nats.client.Connection;
import io.nats.client.Dispatcher;
import io.nats.client.JetStreamApiException;
import io.nats.client.JetStreamManagement;
import io.nats.client.JetStreamSubscription;
import io.nats.client.PushSubscribeOptions;
import io.nats.client.api.ConsumerConfiguration;
import io.nats.client.api.DeliverPolicy;
import io.nats.client.api.StorageType;
import io.nats.client.api.StreamConfiguration;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * A namespace's channel in JetStream mode: messages are published on the core connection to a subject that a
 * stream captures, and read through an ordered push consumer that starts after the stream's last message and, after a
 * disconnect, resumes where it stopped. Messages carry their stream sequence, so the node can see a hole the
 * consumer could not fill (retention passed, stream reset).
 */
final class JetStreamChannel implements BusChannel {

  private final Connection connection;
  private final String subject;
  private final Dispatcher dispatcher;
  private final JetStreamSubscription subscription;

  JetStreamChannel(Connection connection, String stream, String subject, Duration retention, BusListener listener) {
    this.connection = connection;
    this.subject = subject;
    try {
      long last = ensureStream(connection.jetStreamManagement(), stream, subject, retention);
      this.dispatcher = connection.createDispatcher();
      PushSubscribeOptions options = PushSubscribeOptions.builder()
          .ordered(true)
          // From the message after the stream's last one now, by number rather than "new": an ordered consumer
          // recreated before it delivered anything (after a server restart) restarts from its configuration,
          // and "new" would then skip what was published while it was gone. Short idle heartbeats: a consumer
          // lost with a restarted server is noticed and recreated in seconds.
          .configuration(ConsumerConfiguration.builder().deliverPolicy(DeliverPolicy.ByStartSequence)
              .startSequence(last + 1).idleHeartbeat(Duration.ofSeconds(1)).build())
          .build();
      this.subscription = connection.jetStream().subscribe(subject, dispatcher,
          message -> listener.onMessage(message.getData(), message.metaData().streamSequence()), false, options);
    } catch (IOException | JetStreamApiException e) {
      throw new IllegalStateException("cannot use JetStream stream " + stream + " for " + subject, e);
    }
  }

  /** Creates the stream if it does not exist; returns its last sequence (0 when empty). */
  private static long ensureStream(JetStreamManagement jsm, String stream, String subject, Duration retention)
      throws IOException, JetStreamApiException {
    try {
      return jsm.getStreamInfo(stream).getStreamState().getLastSequence();
    } catch (JetStreamApiException missing) {
      return jsm.addStream(StreamConfiguration.builder().name(stream).subjects(subject)
          .storageType(StorageType.File).maxAge(retention).build()).getStreamState().getLastSequence();
    }
  }

  @Override
  public CompletionStage<Void> publish(byte[] message) {
    return NatsInvalidationBus.publish(connection, subject, message);
  }

  @Override
  public boolean replays() {
    return true;
  }

  @Override
  public CompletionStage<Void> subscribed() {
    return CompletableFuture.completedFuture(null); // the consumer exists once subscribe() returned
  }

  @Override
  public void close() {
    if (connection.getStatus() != Connection.Status.CLOSED) {
      try {
        dispatcher.unsubscribe(subscription); // a dispatcher's subscription is unsubscribed through it
        connection.closeDispatcher(dispatcher);
      } catch (IllegalStateException closedMeanwhile) {
        // the application closed its connection first
      }
    }
  }
}
