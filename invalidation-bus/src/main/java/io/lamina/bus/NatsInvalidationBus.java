package io.lamina.bus;

import io.lamina.Redact;
import io.lamina.spi.BusChannel;
import io.lamina.spi.BusListener;
import io.lamina.spi.InvalidationBus;
import io.nats.client.Connection;
import io.nats.client.ConnectionListener;
import io.nats.client.Dispatcher;
import io.nats.client.Nats;
import io.nats.client.Options;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.jspecify.annotations.Nullable;

/**
 * The invalidation bus over core NATS: subject {@code lamina.<namespace>.invalidation}, one dispatcher per
 * channel (so messages arrive in order), publishes on the application's connection (one ordered TCP stream).
 *
 * <p>Disconnects, reconnects and resubscriptions are reported as gaps. Detection must be quick: a connection
 * whose ping interval exceeds 10 s is refused (jnats pings every 2 minutes by default); {@link #connect} builds
 * one with a 1 s ping, no reconnect buffer (a publish buffered while disconnected and delivered late would be a
 * lie) and endless reconnects.
 *
 * <p>A connection that discards messages when its outgoing queue is full
 * ({@code Options.Builder.discardMessagesWhenOutgoingQueueFull()}, as {@link #connect} sets it) never makes a
 * publish wait, so a writer's invalidation is published on the writer's thread (see
 * {@link BusChannel#publishesWithoutWaiting()}). Without it jnats blocks a publish while the queue is full (a
 * stalled server), so publishes are left to the bus's sender thread. A message jnats discards is one the peers miss:
 * they see the hole in the sender's numbering (at the latest in its next heartbeat) as a gap, as they do any lost
 * message.
 */
public final class NatsInvalidationBus implements InvalidationBus {

  /** The longest ping interval accepted: a dead connection must be noticed within seconds. */
  public static final Duration MAX_PING_INTERVAL = Duration.ofSeconds(10);

  /**
   * The byte limit of a namespace's JetStream stream unless another is given: 256 MiB. Past it the oldest
   * messages are dropped, so a node that needs them sees a hole and flushes its L1 instead of replaying.
   */
  public static final long DEFAULT_MAX_BYTES = 256L << 20;

  private final Connection connection;
  private final @Nullable Duration retention;
  private final long maxBytes;

  private NatsInvalidationBus(Connection connection, @Nullable Duration retention, long maxBytes) {
    this.connection = connection;
    this.retention = retention;
    this.maxBytes = maxBytes;
  }

  /**
   * A bus on {@code connection}, which stays the application's to close.
   *
   * @throws IllegalArgumentException if its ping interval exceeds {@link #MAX_PING_INTERVAL}
   */
  public static NatsInvalidationBus of(Connection connection) {
    return new NatsInvalidationBus(checked(connection), null, 0);
  }

  /**
   * A bus on {@code connection} in JetStream mode, with streams of at most {@link #DEFAULT_MAX_BYTES}; see
   * {@link #withJetStream(Connection, Duration, long)}.
   */
  public static NatsInvalidationBus withJetStream(Connection connection, Duration retention) {
    return withJetStream(connection, retention, DEFAULT_MAX_BYTES);
  }

  /**
   * A bus on {@code connection} in JetStream mode: each namespace's subject is captured by a stream
   * ({@link #stream(String)}, file storage, kept for {@code retention} and at most {@code maxBytes}), and nodes
   * read it through an ordered consumer, so a node that was disconnected replays what it missed instead of
   * flushing its L1. Past the retention or the byte limit (or if the stream was reset) the node sees a gap and
   * flushes. Publishes wait for the stream's acknowledgement and are retried, in order, while the stream cannot
   * take them (a replicated stream electing a leader), for up to 15 s: a message the stream never stored is a loss
   * no replay covers.
   *
   * <p>A stream that already exists must capture exactly the namespace's subject, in file storage, with limits
   * retention; otherwise opening the channel fails naming the stream and what differs (it belongs to someone
   * else, or cannot be changed in place). Its age and byte limits are Lamina's settings, so when they differ they
   * are updated to the ones given here: the node started last decides, as with any other setting.
   *
   * @throws IllegalArgumentException if the ping interval exceeds {@link #MAX_PING_INTERVAL}, or the retention
   *     or the byte limit is not positive
   */
  public static NatsInvalidationBus withJetStream(Connection connection, Duration retention, long maxBytes) {
    checkJetStream(retention, maxBytes);
    return new NatsInvalidationBus(checked(connection), retention, maxBytes);
  }

  private static void checkJetStream(Duration retention, long maxBytes) {
    Objects.requireNonNull(retention, "retention");
    if (retention.isNegative() || retention.isZero()) {
      throw new IllegalArgumentException("JetStream retention must be positive, but was " + retention);
    }
    if (maxBytes <= 0) {
      throw new IllegalArgumentException("JetStream max-bytes must be positive, but was " + maxBytes);
    }
  }

  private static Connection checked(Connection connection) {
    Objects.requireNonNull(connection, "connection");
    Duration ping = connection.getOptions().getPingInterval();
    if (ping.compareTo(MAX_PING_INTERVAL) > 0) {
      throw new IllegalArgumentException("NATS ping interval " + ping + " exceeds " + MAX_PING_INTERVAL
          + ": a lost connection would go unnoticed that long; set Options.builder().pingInterval(...)");
    }
    return connection;
  }

  /**
   * The JetStream stream of a namespace: {@code LAMINA_} and the namespace with every character other than an
   * ASCII letter, digit or {@code -} written as {@code _} and two hex digits of its UTF-8 bytes ({@code .} is
   * {@code _2E}, {@code _} is {@code _5F}). Stream names allow no dots, and escaping the escape character keeps
   * the mapping one-to-one: {@code a.b} and {@code a_b} never share a stream.
   */
  public static String stream(String namespace) {
    StringBuilder name = new StringBuilder("LAMINA_");
    for (byte b : namespace.getBytes(StandardCharsets.UTF_8)) {
      if ((b >= 'A' && b <= 'Z') || (b >= 'a' && b <= 'z') || (b >= '0' && b <= '9') || b == '-') {
        name.append((char) b);
      } else {
        name.append('_').append(HEX[(b >> 4) & 0xF]).append(HEX[b & 0xF]);
      }
    }
    return name.toString();
  }

  private static final char[] HEX = "0123456789ABCDEF".toCharArray();

  /** Connects to {@code url} with options fit for invalidations (see the class comment). */
  public static Connection connect(String url) throws IOException, InterruptedException {
    return connect(NatsConnectionSettings.custom().url(url).build());
  }

  /**
   * Connects with {@code settings} (server, credentials, TLS) and options fit for invalidations (see the class
   * comment). A failure's message and causes show the server without its user-info and never a secret.
   *
   * @throws IOException if NATS cannot be reached or refuses the credentials
   */
  public static Connection connect(NatsConnectionSettings settings) throws IOException, InterruptedException {
    try {
      return Nats.connect(options(settings));
    } catch (IOException | RuntimeException e) {
      Throwable safe = Redact.causes(e);
      if (safe == e) {
        throw e;
      }
      throw new IOException(Redact.userInfo(e.getMessage()), safe.getCause() == null ? safe : safe.getCause());
    }
  }

  /**
   * A bus whose connection (made with {@code settings}, as {@link #connect(NatsConnectionSettings)} makes it) is
   * established in the background, for services that must start while NATS is down. Until it is, every cache on
   * the bus is degraded: it serves and keeps no L1 entry and reads L2 instead; once connected, each cache trusts
   * its L1 again after hearing every live member of the cluster, as after any gap. The bus owns the connection:
   * close it after the caches.
   *
   * @throws IllegalArgumentException if the settings are unusable (an unreadable credentials file, say)
   */
  public static BackgroundNatsBus connectInBackground(NatsConnectionSettings settings) {
    return new BackgroundNatsBus(options(settings), settings.redactedUrl(), "nats", NatsInvalidationBus::of);
  }

  /** {@link #connectInBackground(NatsConnectionSettings)} in JetStream mode (see {@link #withJetStream}). */
  public static BackgroundNatsBus connectInBackground(NatsConnectionSettings settings, Duration retention,
      long maxBytes) {
    checkJetStream(retention, maxBytes); // before anything starts
    return new BackgroundNatsBus(options(settings), settings.redactedUrl(), "nats-jetstream",
        connection -> withJetStream(connection, retention, maxBytes));
  }

  private static Options options(NatsConnectionSettings settings) {
    Options.Builder options = Options.builder()
        .pingInterval(Duration.ofSeconds(1))
        .maxPingsOut(2)
        .reconnectWait(Duration.ofMillis(250))
        .maxReconnects(-1)
        .reconnectBufferSize(0)
        .discardMessagesWhenOutgoingQueueFull()
        .errorListener(new NatsErrorLog());
    settings.applyTo(options, Duration.ofSeconds(2));
    return options.build();
  }

  /** The subject of a namespace's channel. */
  public static String subject(String namespace) {
    return "lamina." + namespace + ".invalidation";
  }

  @Override
  public BusChannel open(String namespace, BusListener listener) {
    String subject = subject(namespace);
    if (retention != null) {
      return new JetStreamChannel(connection, stream(namespace), subject, retention, maxBytes, listener);
    }
    Dispatcher dispatcher = connection.createDispatcher(message -> listener.onMessage(message.getData()));
    ConnectionListener events = (conn, event) -> {
      if (event == ConnectionListener.Events.DISCONNECTED || event == ConnectionListener.Events.RECONNECTED
          || event == ConnectionListener.Events.RESUBSCRIBED) {
        listener.onGap("nats " + event.name().toLowerCase());
      }
    };
    connection.addConnectionListener(events);
    dispatcher.subscribe(subject);
    CompletableFuture<Void> subscribed = CompletableFuture.runAsync(() -> {
      try {
        connection.flush(Duration.ofSeconds(5)); // the server has processed our SUB once it answers the PING
      } catch (Exception e) {
        throw new IllegalStateException("NATS subscription to " + subject + " not confirmed", e);
      }
    });
    // jnats blocks a publish while its outgoing queue is full unless it discards instead; and it tells how full the
    // queue is only under the lock its writer thread holds while blocked on a stalled server, so the option is the
    // only answer that never waits.
    boolean discards = connection.getOptions().isDiscardMessagesWhenOutgoingQueueFull();
    return new BusChannel() {
      @Override
      public CompletionStage<Void> publish(byte[] message) {
        return NatsInvalidationBus.publish(connection, subject, message);
      }

      @Override
      public boolean publishesWithoutWaiting() {
        return discards;
      }

      @Override
      public CompletionStage<Void> subscribed() {
        return subscribed;
      }

      @Override
      public void close() {
        connection.removeConnectionListener(events);
        if (connection.getStatus() != Connection.Status.CLOSED) {
          try {
            connection.closeDispatcher(dispatcher);
          } catch (IllegalStateException closedMeanwhile) {
            // the application closed its connection first: nothing left to unsubscribe
          }
        }
      }
    };
  }

  @Override
  public String name() {
    return retention == null ? "nats" : "nats-jetstream";
  }

  /** Publishes on the core connection, refusing while disconnected (nothing may be buffered for later). */
  static CompletionStage<Void> publish(Connection connection, String subject, byte[] message) {
    if (connection.getStatus() != Connection.Status.CONNECTED) {
      return CompletableFuture.failedFuture(new IllegalStateException("NATS is " + connection.getStatus()));
    }
    try {
      connection.publish(subject, message);
      return CompletableFuture.completedFuture(null);
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
  }
}
