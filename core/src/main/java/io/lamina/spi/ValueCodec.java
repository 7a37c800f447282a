package io.lamina.spi;

/**
 * Turns values into bytes for the remote tier and back.
 *
 * <p>A codec must be safe by default: it must never instantiate a class named by the data unless the user
 * allowed that class (registration or an allow-list). A codec must be thread-safe.
 *
 * <p>The facade wraps every payload in its envelope (magic byte, format version, {@link #id()}, flags), so a
 * codec sees only its own bytes, and data written by another codec is detected before {@link #decode} runs.
 *
 * @param <V> the value type
 */
public interface ValueCodec<V> {

  /**
   * This codec's id in the envelope, in {@code [1, 255]}. Lamina's codecs use 1–63 (see
   * {@code io.lamina.codec.CodecIds}); choose 64–255 for your own. Two codecs that read each other's data may
   * share an id; two that do not must not.
   */
  int id();

  /** Encodes a value; never returns null. */
  byte[] encode(V value);

  /**
   * Decodes {@code length} bytes of {@code data} from {@code offset}.
   *
   * @throws RuntimeException when the bytes are not a valid value; the facade then counts a decode failure,
   *     treats the entry as a miss and replaces it
   */
  V decode(byte[] data, int offset, int length);
}
