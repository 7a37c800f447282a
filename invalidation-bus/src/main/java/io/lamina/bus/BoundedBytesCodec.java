package io.lamina.bus;

import io.lamina.spi.InvalidationMessage;
import io.netty.buffer.ByteBuf;
import org.redisson.client.codec.ByteArrayCodec;
import org.redisson.client.protocol.Decoder;

/**
 * Bytes, as {@link ByteArrayCodec} reads them, except that a message larger than
 * {@link InvalidationMessage#MAX_BYTES} is skipped without being copied and read as an empty message (which the
 * node counts as malformed). The transport has already received it — Redis sends a Pub/Sub message whole, and the
 * client cannot refuse it part-way — so what bounds that buffer is the server's
 * {@code client-output-buffer-limit pubsub} (a subscriber that falls that far behind is disconnected, which the
 * node sees as a gap); this codec only keeps the oversized message from being copied once more and decoded.
 */
public final class BoundedBytesCodec extends ByteArrayCodec {

  public static final BoundedBytesCodec INSTANCE = new BoundedBytesCodec();

  private static final byte[] EMPTY = new byte[0];

  private final Decoder<Object> decoder = (buf, state) -> read(buf);

  /** Public for Redisson, which may copy a codec through its no-argument constructor. */
  public BoundedBytesCodec() {}

  @Override
  public Decoder<Object> getValueDecoder() {
    return decoder;
  }

  static byte[] read(ByteBuf buf) {
    int size = buf.readableBytes();
    if (size > InvalidationMessage.MAX_BYTES) {
      buf.skipBytes(size);
      return EMPTY;
    }
    byte[] bytes = new byte[size];
    buf.readBytes(bytes);
    return bytes;
  }
}
