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
import io.nats.client.api.RetentionPolicy;
import io.nats.client.api.StorageType;
import io.nats.client.api.StreamConfiguration;
import io.nats.client.api.StreamInfo;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * A namespace's channel in JetStream mode: messages are published on the core connection to a subject that a
 * stream captures, and read through an ordered push consumer that starts after the stream's last message and, after a
 * disconnect, resumes where it stopped. Messages carry their stream sequence, so the node can see a hole the
 * consumer could not fill (retention passed, stream reset).
 */
final class JetStreamChannel implements BusChannel {

  /** JetStream's error code for "stream not found". */
  private static final int STREAM_NOT_FOUND = 10059;

  private static final System.Logger log = System.getLogger(JetStreamChannel.class.getName());

  private final Connection connection;
  private final String subject;
  private final Dispatcher dispatcher;
  private final JetStreamSubscription subscription;

  JetStreamChannel(Connection connection, String stream, String subject, Duration retention, long maxBytes,
      BusListener listener) {
    this.connection = connection;
    this.subject = subject;
    try {
      long last = ensureStream(connection.jetStreamManagement(), stream, subject, retention, maxBytes);
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

  /**
   * Creates the stream if it does not exist, or checks the one that does: subjects, storage and retention
   * policy must be Lamina's (else it is someone else's stream, or a change NATS cannot make in place), and its
   * age and byte limits are brought to the configured ones. Returns its last sequence (0 when empty).
   */
  private static long ensureStream(JetStreamManagement jsm, String stream, String subject, Duration retention,
      long maxBytes) throws IOException, JetStreamApiException {
    StreamInfo existing;
    try {
      existing = jsm.getStreamInfo(stream);
    } catch (JetStreamApiException e) {
      if (e.getApiErrorCode() != STREAM_NOT_FOUND) {
        throw e;
      }
      return jsm.addStream(StreamConfiguration.builder().name(stream).subjects(subject)
          .storageType(StorageType.File).retentionPolicy(RetentionPolicy.Limits).maxAge(retention)
          .maxBytes(maxBytes).build()).getStreamState().getLastSequence();
    }
    StreamConfiguration config = existing.getConfiguration();
    List<String> differences = new ArrayList<>();
    if (!config.getSubjects().equals(List.of(subject))) {
      differences.add("subjects " + config.getSubjects() + " instead of [" + subject + "]");
    }
    if (config.getStorageType() != StorageType.File) {
      differences.add("storage " + config.getStorageType() + " instead of " + StorageType.File);
    }
    if (config.getRetentionPolicy() != RetentionPolicy.Limits) {
      differences.add("retention policy " + config.getRetentionPolicy() + " instead of " + RetentionPolicy.Limits);
    }
    if (!differences.isEmpty()) {
      throw new IllegalStateException("JetStream stream " + stream + " exists with " + String.join(", ", differences)
          + ": Lamina will not take over or rewrite it; delete it (nats stream rm " + stream + ") if it is a"
          + " leftover, or give this service another namespace");
    }
    if (config.getMaxBytes() == maxBytes && retention.equals(config.getMaxAge())) {
      return existing.getStreamState().getLastSequence();
    }
    log.log(System.Logger.Level.WARNING, "Lamina: JetStream stream {0} had max-age {1} and max-bytes {2};"
        + " updating to the configured {3} and {4}", stream, config.getMaxAge(), config.getMaxBytes(), retention,
        maxBytes);
    return jsm.updateStream(StreamConfiguration.builder(config).maxAge(retention).maxBytes(maxBytes).build())
        .getStreamState().getLastSequence();
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
