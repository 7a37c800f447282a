package io.lamina.bus;

import io.lamina.spi.BusChannel;
import io.lamina.spi.BusListener;
import io.nats.client.Connection;
import io.nats.client.Dispatcher;
import io.nats.client.JetStreamApiException;
import io.nats.client.JetStream;
import io.nats.client.JetStreamManagement;
import io.nats.client.JetStreamOptions;
import io.nats.client.JetStreamSubscription;
import io.nats.client.PublishOptions;
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
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;

/**
 * A namespace's channel in JetStream mode: messages are published to a subject that a stream captures, and read
 * through an ordered push consumer that starts after the stream's last message and, after a disconnect, resumes where
 * it stopped. Messages carry their stream sequence, so the node can see a hole the consumer could not fill (retention
 * passed, stream reset).
 *
 * <p>Publishes wait for the stream's acknowledgement, one message at a time in the order given, and are retried
 * (with a message id, so the stream stores a retried message once) while the stream cannot take them — during a
 * replicated stream's leader election, for instance. A message the stream never stored would be a loss that no
 * replay can cover, and every peer would have to flush; a message held back delays the sender's later messages,
 * heartbeats included, so peers stop trusting it after the detection time instead of missing something. Only when
 * {@link #PUBLISH_DEADLINE} passes does the publish fail (and the node starts a new epoch).
 */
final class JetStreamChannel implements BusChannel {

  /** JetStream's error code for "stream not found". */
  private static final int STREAM_NOT_FOUND = 10059;

  private static final System.Logger log = System.getLogger(JetStreamChannel.class.getName());

  /** How long a message is retried before its publish fails. */
  static final Duration PUBLISH_DEADLINE = Duration.ofSeconds(15);

  /** How long one attempt waits for the stream's acknowledgement before it is retried (with the same id). */
  private static final long ATTEMPT_TIMEOUT_MILLIS = 2_000;

  /**
   * The ordered consumer's idle heartbeat: jnats re-creates a consumer it has not heard from for three of them
   * (one lost with a killed server, for instance).
   */
  static final Duration IDLE_HEARTBEAT = Duration.ofMillis(500);

  /**
   * How long jnats waits for a re-created consumer: a creation that fails (no stream leader yet) is tried again
   * after the next heartbeat alarm, so this and three heartbeats are the retry period.
   */
  static final Duration RECREATE_TIMEOUT = Duration.ofSeconds(1);

  private static final long FIRST_RETRY_MILLIS = 20;
  private static final long MAX_RETRY_MILLIS = 250;

  private final Connection connection;
  private final JetStream jetStream;
  private final String subject;
  /** Message ids: this channel's own prefix, then a count (the stream drops a retried message it already has). */
  private final String idPrefix = UUID.randomUUID() + "-";
  private final Object publishLock = new Object();
  /** Guarded by publishLock. */
  private long published;
  /** Completes when the last message given to {@link #publish} was stored or given up; guarded by publishLock. */
  private CompletableFuture<Void> tail = CompletableFuture.completedFuture(null);
  private final Dispatcher dispatcher;
  private final JetStreamSubscription subscription;

  JetStreamChannel(Connection connection, String stream, String subject, Duration retention, long maxBytes,
      BusListener listener) {
    this.connection = connection;
    this.subject = subject;
    try {
      long last = ensureStream(connection.jetStreamManagement(), stream, subject, retention, maxBytes);
      this.jetStream = connection.jetStream();
      this.dispatcher = connection.createDispatcher();
      PushSubscribeOptions options = PushSubscribeOptions.builder()
          .ordered(true)
          // From the message after the stream's last one now, by number rather than "new": an ordered consumer
          // recreated before it delivered anything (after a server restart) restarts from its configuration,
          // and "new" would then skip what was published while it was gone. Short idle heartbeats: a consumer
          // lost with a restarted server is noticed and recreated in seconds.
          .configuration(ConsumerConfiguration.builder().deliverPolicy(DeliverPolicy.ByStartSequence)
              .startSequence(last + 1).idleHeartbeat(IDLE_HEARTBEAT).build())
          .build();
      JetStream consuming = connection.jetStream(JetStreamOptions.builder().requestTimeout(RECREATE_TIMEOUT).build());
      this.subscription = consuming.subscribe(subject, dispatcher,
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
    if (connection.getStatus() != Connection.Status.CONNECTED) {
      return CompletableFuture.failedFuture(new IllegalStateException("NATS is " + connection.getStatus()));
    }
    // Real time: the retries below wait on NATS's own timers (ack wait, reconnect), not on any injected clock.
    long deadline = System.nanoTime() + PUBLISH_DEADLINE.toNanos();
    synchronized (publishLock) {
      PublishOptions options = PublishOptions.builder().messageId(idPrefix + ++published).build();
      CompletableFuture<Void> next = tail.handle((ok, error) -> null)
          .thenCompose(previous -> attempt(message, options, deadline, FIRST_RETRY_MILLIS));
      tail = next;
      return next;
    }
  }

  /** One publish and, while the stream refuses or does not answer, its retries until {@code deadline}. */
  private CompletableFuture<Void> attempt(byte[] message, PublishOptions options, long deadline, long backoffMillis) {
    CompletableFuture<Void> stored;
    try {
      stored = jetStream.publishAsync(subject, message, options).thenApply(ack -> (Void) null)
          .orTimeout(ATTEMPT_TIMEOUT_MILLIS, TimeUnit.MILLISECONDS);
    } catch (RuntimeException e) {
      stored = CompletableFuture.failedFuture(e); // closed or disconnected: retried below until the deadline
    }
    return stored.exceptionallyCompose(error -> {
      if (System.nanoTime() - deadline + TimeUnit.MILLISECONDS.toNanos(backoffMillis) > 0
          || connection.getStatus() == Connection.Status.CLOSED) {
        return CompletableFuture.failedFuture(error);
      }
      Executor later = CompletableFuture.delayedExecutor(backoffMillis, TimeUnit.MILLISECONDS);
      return CompletableFuture.supplyAsync(() -> null, later).thenCompose(
          ignored -> attempt(message, options, deadline, Math.min(MAX_RETRY_MILLIS, backoffMillis * 2)));
    });
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
