package io.lamina.internal;

import io.lamina.spi.ValueCodec;
import java.util.Arrays;

/**
 * The header Lamina puts before a codec's bytes in the remote tier: magic byte, format version, codec id and
 * flags. It lets a node tell a damaged or foreign entry (a miss, replaced) from one written by a newer Lamina (a
 * miss, left alone) before any codec runs.
 */
final class Envelope {

  static final byte MAGIC = (byte) 0xA7;
  static final byte FORMAT = 1;
  static final int HEADER = 4;
  /** Flag bit reserved for compressed payloads; no codec sets it yet, and a reader that sees it treats it as newer. */
  static final int FLAG_COMPRESSED = 1;

  private Envelope() {}

  static <V> byte[] encode(ValueCodec<V> codec, V value) {
    byte[] body = codec.encode(value);
    byte[] out = new byte[HEADER + body.length];
    out[0] = MAGIC;
    out[1] = FORMAT;
    out[2] = (byte) codec.id();
    out[3] = 0;
    System.arraycopy(body, 0, out, HEADER, body.length);
    return out;
  }

  /**
   * Decodes a payload.
   *
   * @throws NewerFormatException if a newer Lamina, or a node of another codec, wrote it (leave it alone)
   * @throws IllegalArgumentException if it is damaged (replace it)
   */
  static <V> V decode(ValueCodec<V> codec, byte[] payload) {
    if (payload.length < HEADER || payload[0] != MAGIC) {
      throw new IllegalArgumentException("not a Lamina envelope (" + payload.length + " bytes, starting "
          + Arrays.toString(Arrays.copyOf(payload, Math.min(4, payload.length))) + ")");
    }
    if (payload[1] > FORMAT || payload[3] != 0) {
      throw new NewerFormatException("envelope format " + payload[1] + " flags " + payload[3]
          + " is newer than this node's format " + FORMAT);
    }
    if (payload[1] != FORMAT) {
      throw new IllegalArgumentException("unknown envelope format " + payload[1]);
    }
    int codecId = payload[2] & 0xFF;
    if (codecId != codec.id()) {
      // Another codec's node wrote it (a rolling deploy changing codecs): not damage, so leave it to that node.
      throw new NewerFormatException("written by codec " + codecId + ", this cache reads codec " + codec.id());
    }
    return codec.decode(payload, HEADER, payload.length - HEADER);
  }

  /** An entry written by a newer format: a miss, but not damage. */
  static final class NewerFormatException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    NewerFormatException(String message) {
      super(message, null, false, false);
    }
  }
}
