package io.lamina.testkit.bus;

import io.lamina.spi.BusChannel;
import io.lamina.spi.BusListener;
import io.lamina.spi.InvalidationBus;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * A real transport with {@link BusFaults} in front of what this node receives (and, when cut, of what it
 * sends): for fault tests on NATS or Redis Pub/Sub that the servers cannot stage themselves, such as losing 1 %
 * of the messages or forging sequence numbers. The transport's own gap reports pass through untouched.
 */
public final class FaultyBus implements InvalidationBus {

  private final InvalidationBus delegate;
  private final BusFaults faults = new BusFaults();

  private FaultyBus(InvalidationBus delegate) {
    this.delegate = delegate;
  }

  /** Wraps {@code delegate}; no fault is on until a switch is flipped. */
  public static FaultyBus wrap(InvalidationBus delegate) {
    return new FaultyBus(delegate);
  }

  /** The switches. */
  public BusFaults faults() {
    return faults;
  }

  @Override
  public BusChannel open(String namespace, BusListener listener) {
    BusFaults.Filter filter = faults.newFilter();
    BusChannel channel = delegate.open(namespace, new BusListener() {
      @Override
      public void onMessage(byte[] message) {
        filter.receive(message, -1, (m, ignored) -> listener.onMessage(m));
      }

      @Override
      public void onMessage(byte[] message, long streamSequence) {
        filter.receive(message, streamSequence, listener::onMessage);
      }

      @Override
      public void onGap(String reason) {
        listener.onGap(reason);
      }
    });
    return new BusChannel() {
      @Override
      public CompletionStage<Void> publish(byte[] message) {
        return faults.isCut() ? CompletableFuture.completedFuture(null) : channel.publish(message);
      }

      @Override
      public boolean publishesWithoutWaiting() {
        return channel.publishesWithoutWaiting();
      }

      @Override
      public boolean replays() {
        return channel.replays();
      }

      @Override
      public CompletionStage<Void> subscribed() {
        return channel.subscribed();
      }

      @Override
      public void close() {
        channel.close();
      }
    };
  }

  @Override
  public String name() {
    return delegate.name();
  }
}
