package io.lamina.spi;

/**
 * Turns a key into the canonical id used in remote keys and invalidation messages.
 *
 * <p>Two keys that are equal must map to the same id, and two that are not must map to different ids. Ids may
 * contain any character (spaces, CR/LF, {@code * ? [ ] : . >}): the remote tier never uses them in a pattern.
 *
 * @param <K> the key type
 */
@FunctionalInterface
public interface KeyCodec<K> {

  /** The canonical id of {@code key}; never null. */
  String toId(K key);

  /**
   * The key whose canonical id is {@code id}: the inverse of {@link #toId}. Needed where only ids travel (the
   * invalidation bus, the admin surface). The default refuses, naming the codec.
   *
   * @throws UnsupportedOperationException if this codec cannot turn ids back into keys
   */
  default K fromId(String id) {
    throw new UnsupportedOperationException(
        getClass().getName() + " cannot turn ids back into keys; implement KeyCodec.fromId");
  }
}
