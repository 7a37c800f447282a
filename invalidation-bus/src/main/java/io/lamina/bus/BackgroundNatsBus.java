package io.lamina.bus;

import io.lamina.spi.BusChannel;
import io.lamina.spi.BusListener;
import io.lamina.spi.InvalidationBus;
import io.nats.client.Connection;
import io.nats.client.Nats;
import io.nats.client.Options;
import java.io.IOException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.jspecify.annotations.Nullable;

/**
 * A NATS bus whose connection is made in the background ({@link NatsInvalidationBus#connectInBackground}). Until
 * it exists, a channel opened on it is refused at once, so each cache's bus node stays degraded and tries again
 * with its usual backoff (at most the detection time); from then on channels are {@link NatsInvalidationBus}'s.
 *
 * <p>jnats' own call that keeps trying ({@code Nats.connectReconnectOnConnect}) returns only once connected, so it
 * runs on a daemon thread of its own, which {@link #close()} interrupts.
 */
public final class BackgroundNatsBus implements InvalidationBus, AutoCloseable {

  private static final Logger LOG = Logger.getLogger(BackgroundNatsBus.class.getName());

  private final String redactedUrl;
  private final String name;
  private final CompletableFuture<NatsInvalidationBus> ready = new CompletableFuture<>();
  private final Thread connecting;
  private volatile @Nullable Connection connection;
  private volatile boolean closed;

  BackgroundNatsBus(Options options, String redactedUrl, String name,
      Function<Connection, NatsInvalidationBus> bus) {
    this.redactedUrl = redactedUrl;
    this.name = name;
    connecting = new Thread(() -> connect(options, bus), "lamina-nats-connect");
    connecting.setDaemon(true);
    connecting.start();
  }

  private void connect(Options options, Function<Connection, NatsInvalidationBus> bus) {
    try {
      Connection c = Nats.connectReconnectOnConnect(options);
      connection = c;
      if (closed) {
        c.close();
        return;
      }
      ready.complete(bus.apply(c));
      LOG.info(() -> "connected to NATS at " + redactedUrl);
    } catch (InterruptedException e) {
      ready.completeExceptionally(e);
    } catch (IOException | RuntimeException e) {
      LOG.log(Level.SEVERE, "NATS at " + redactedUrl + ": cannot connect; caches on this bus stay degraded", e);
      ready.completeExceptionally(e);
    }
  }

  /** Whether the connection is made (it may be reconnecting later, as any NATS connection). */
  public boolean connected() {
    return ready.isDone() && !ready.isCompletedExceptionally();
  }

  /** The connection, once made; null before. */
  public @Nullable Connection connection() {
    return connected() ? connection : null;
  }

  @Override
  public BusChannel open(String namespace, BusListener listener) {
    NatsInvalidationBus bus = ready.getNow(null);
    if (bus != null) {
      return bus.open(namespace, listener);
    }
    IllegalStateException notYet = new IllegalStateException("NATS at " + redactedUrl + " not connected yet");
    return new BusChannel() {
      @Override
      public CompletionStage<Void> publish(byte[] message) {
        return CompletableFuture.failedFuture(notYet);
      }

      @Override
      public CompletionStage<Void> subscribed() {
        return CompletableFuture.failedFuture(notYet);
      }

      @Override
      public void close() {}
    };
  }

  @Override
  public String name() {
    NatsInvalidationBus bus = ready.getNow(null);
    return bus != null ? bus.name() : name;
  }

  /** Stops connecting, or closes the connection. */
  @Override
  public void close() throws InterruptedException {
    closed = true;
    connecting.interrupt();
    Connection c = connection;
    if (c != null) {
      c.close();
    }
  }
}
