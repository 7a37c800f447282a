package io.lamina;

import io.lamina.spi.BusChannel;
import io.lamina.spi.BusListener;
import io.lamina.spi.InvalidationBus;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.LongAdder;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * An invalidation bus whose messages carry an HMAC-SHA256 tag under a secret the nodes share, so that someone who
 * can publish on the channel but does not hold the secret can neither forge a message (a flush, a wake-up, a
 * heartbeat that makes nodes distrust their L1) nor pass one off from another namespace. Messages without a valid
 * tag are dropped before the node reads them and counted in {@link CoherenceStats#malformed()} (and here, in
 * {@link #rejected()}).
 *
 * <p>Rotation without downtime: every node signs with the first key and accepts any of the keys given. Roll a new
 * key out as the second key everywhere, then as the first, then drop the old one. Nodes with and without
 * authentication cannot talk to each other: turning it on is a rolling restart during which the two halves see
 * each other's messages as malformed, lose trust and read from L2, which is safe but slower.
 *
 * <p>What it does not stop: someone who can read the channel can replay a captured message. A replayed
 * invalidation only drops an entry; a replayed heartbeat or flush makes nodes flush L1 and read L2 for a while.
 * Restrict who can subscribe (NATS subject permissions, Redis ACL channel rules), see {@code docs/security.md}.
 */
public final class AuthenticatedBus implements InvalidationBus {

  /** The tag appended to every message. */
  public static final int TAG_BYTES = 32;
  /** The shortest key accepted: as long as the tag, as RFC 2104 advises. */
  public static final int MIN_KEY_BYTES = 32;

  private final InvalidationBus bus;
  private final List<SecretKeySpec> keys;
  private final LongAdder rejected = new LongAdder();
  private final ThreadLocal<Mac[]> macs;

  private AuthenticatedBus(InvalidationBus bus, List<byte[]> keys) {
    this.bus = Objects.requireNonNull(bus, "bus");
    Objects.requireNonNull(keys, "keys");
    if (keys.isEmpty() || keys.size() > 2) {
      throw new IllegalArgumentException("bus authentication takes one key, or two while rotating, but got "
          + keys.size());
    }
    List<SecretKeySpec> specs = new ArrayList<>();
    for (int i = 0; i < keys.size(); i++) {
      byte[] key = Objects.requireNonNull(keys.get(i), "keys[" + i + "]");
      if (key.length < MIN_KEY_BYTES) {
        throw new IllegalArgumentException("bus authentication keys[" + i + "] has " + key.length
            + " bytes; at least " + MIN_KEY_BYTES + " are needed (for example 32 random bytes, base64-encoded)");
      }
      specs.add(new SecretKeySpec(key.clone(), "HmacSHA256"));
    }
    this.keys = List.copyOf(specs);
    this.macs = ThreadLocal.withInitial(() -> {
      Mac[] out = new Mac[this.keys.size()];
      for (int i = 0; i < out.length; i++) {
        try {
          out[i] = Mac.getInstance("HmacSHA256");
          out[i].init(this.keys.get(i));
        } catch (GeneralSecurityException e) {
          throw new IllegalStateException("HmacSHA256 is not available in this JVM", e);
        }
      }
      return out;
    });
    macs.get(); // fail at start-up, not on the first message
  }

  /**
   * {@code bus} with every message signed by {@code keys.get(0)} and checked against each of {@code keys} (one
   * key, or two while rotating; each at least {@value #MIN_KEY_BYTES} bytes).
   */
  public static AuthenticatedBus wrap(InvalidationBus bus, List<byte[]> keys) {
    return new AuthenticatedBus(bus, keys);
  }

  /** Messages dropped because their tag was missing or wrong. */
  public long rejected() {
    return rejected.sum();
  }

  @Override
  public String name() {
    return bus.name();
  }

  @Override
  public BusChannel open(String namespace, BusListener listener) {
    byte[] scope = namespace.getBytes(StandardCharsets.UTF_8);
    BusChannel channel = bus.open(namespace, new BusListener() {
      @Override
      public void onMessage(byte[] message) {
        listener.onMessage(checked(scope, message));
      }

      @Override
      public void onMessage(byte[] message, long streamSequence) {
        listener.onMessage(checked(scope, message), streamSequence); // the position counts even when dropped
      }

      @Override
      public void onGap(String reason) {
        listener.onGap(reason);
      }
    });
    return new BusChannel() {
      @Override
      public CompletionStage<Void> publish(byte[] message) {
        byte[] signed = Arrays.copyOf(message, message.length + TAG_BYTES);
        System.arraycopy(tag(macs.get()[0], scope, message, message.length), 0, signed, message.length, TAG_BYTES);
        return channel.publish(signed);
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

  /** The message without its tag, or an empty message (which the node counts as malformed) if the tag is wrong. */
  private byte[] checked(byte[] scope, byte[] message) {
    if (message.length > TAG_BYTES) {
      int body = message.length - TAG_BYTES;
      byte[] given = Arrays.copyOfRange(message, body, message.length);
      for (Mac mac : macs.get()) {
        if (MessageDigest.isEqual(given, tag(mac, scope, message, body))) {
          return Arrays.copyOf(message, body);
        }
      }
    }
    rejected.increment();
    return new byte[0];
  }

  /** The tag of the first {@code length} bytes of {@code message} on the channel of {@code scope}. */
  private static byte[] tag(Mac mac, byte[] scope, byte[] message, int length) {
    mac.update((byte) (scope.length >>> 8));
    mac.update((byte) scope.length);
    mac.update(scope);
    mac.update(message, 0, length);
    return mac.doFinal();
  }

  @Override
  public String toString() {
    return "AuthenticatedBus{" + bus.name() + ", " + keys.size() + " key(s)}";
  }
}
