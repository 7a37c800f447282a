package io.lamina.bus;

import io.lamina.spi.BusChannel;
import io.lamina.spi.BusListener;
import io.lamina.spi.InvalidationBus;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicBoolean;
import org.redisson.api.RTopic;
import org.redisson.api.RedissonClient;
import org.redisson.api.listener.StatusListener;

/**
 * The invalidation bus over Redis Pub/Sub through Redisson: channel {@code lamina:<namespace>:invalidation}.
 *
 * <p>Redisson may publish on any pooled connection, so this channel sends one message at a time (the next after
 * the previous was acknowledged) to keep the order the facade numbered; the facade batches to make up for it.
 * Every resubscription (after a dropped connection, an overflowed output buffer or a Redis restart) is reported
 * as a gap. A message over {@link io.lamina.spi.InvalidationMessage#MAX_BYTES} is dropped unread (see
 * {@link BoundedBytesCodec}).
 */
public final class RedisPubSubInvalidationBus implements InvalidationBus {

  private final RedissonClient client;

  private RedisPubSubInvalidationBus(RedissonClient client) {
    this.client = client;
  }

  /** A bus on {@code client}, which stays the application's to close. */
  public static RedisPubSubInvalidationBus of(RedissonClient client) {
    return new RedisPubSubInvalidationBus(Objects.requireNonNull(client, "client"));
  }

  /** The channel of a namespace. */
  public static String channel(String namespace) {
    return "lamina:" + namespace + ":invalidation";
  }

  @Override
  public BusChannel open(String namespace, BusListener listener) {
    RTopic topic = client.getTopic(channel(namespace), BoundedBytesCodec.INSTANCE);
    AtomicBoolean firstSubscription = new AtomicBoolean(true);
    int statusId = topic.addListener(new StatusListener() {
      @Override
      public void onSubscribe(String channel) {
        if (!firstSubscription.compareAndSet(true, false)) {
          listener.onGap("redis resubscribed");
        }
      }

      @Override
      public void onUnsubscribe(String channel) {
        listener.onGap("redis unsubscribed");
      }
    });
    CompletableFuture<Integer> messages = topic
        .addListenerAsync(byte[].class, (channel, message) -> listener.onMessage(message))
        .toCompletableFuture();
    return new BusChannel() {
      private CompletableFuture<Void> tail = CompletableFuture.completedFuture(null);

      @Override
      public synchronized CompletionStage<Void> publish(byte[] message) {
        CompletableFuture<Void> next = tail.handle((ok, error) -> null)
            .thenCompose(ignored -> topic.publishAsync(message).toCompletableFuture())
            .thenApply(receivers -> null);
        tail = next;
        return next;
      }

      @Override
      public boolean publishesWithoutWaiting() {
        return true; // Redisson sends asynchronously; a publish behind an unacknowledged one is chained to it
      }

      @Override
      public CompletionStage<Void> subscribed() {
        return messages.thenApply(id -> null);
      }

      @Override
      public void close() {
        messages.thenAccept(id -> topic.removeListenerAsync(id, statusId));
      }
    };
  }

  @Override
  public String name() {
    return "redis";
  }
}
