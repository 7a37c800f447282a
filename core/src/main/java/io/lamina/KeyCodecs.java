package io.lamina;

import io.lamina.spi.KeyCodec;
import java.util.UUID;

/** Common {@link KeyCodec}s. */
public final class KeyCodecs {

  private static final KeyCodec<Object> TO_STRING = Object::toString;

  private static final KeyCodec<String> STRINGS = new KeyCodec<>() {
    @Override
    public String toId(String key) {
      return key;
    }

    @Override
    public String fromId(String id) {
      return id;
    }
  };

  private static final KeyCodec<Long> LONGS = new KeyCodec<>() {
    @Override
    public String toId(Long key) {
      return key.toString();
    }

    @Override
    public Long fromId(String id) {
      return Long.valueOf(id);
    }
  };

  private static final KeyCodec<Integer> INTEGERS = new KeyCodec<>() {
    @Override
    public String toId(Integer key) {
      return key.toString();
    }

    @Override
    public Integer fromId(String id) {
      return Integer.valueOf(id);
    }
  };

  private static final KeyCodec<UUID> UUIDS = new KeyCodec<>() {
    @Override
    public String toId(UUID key) {
      return key.toString();
    }

    @Override
    public UUID fromId(String id) {
      return UUID.fromString(id);
    }
  };

  private KeyCodecs() {}

  /**
   * Uses {@link Object#toString()} as the id: right for keys whose text is canonical and unique (strings, boxed
   * numbers, UUIDs, enums, records of those), wrong for keys whose {@code toString} is not (identity strings,
   * truncated output): give those their own codec. Cannot turn ids back into keys. This is the default.
   */
  @SuppressWarnings("unchecked")
  public static <K> KeyCodec<K> usingToString() {
    return (KeyCodec<K>) TO_STRING;
  }

  /** Strings as themselves. */
  public static KeyCodec<String> strings() {
    return STRINGS;
  }

  /** Longs in decimal. */
  public static KeyCodec<Long> longs() {
    return LONGS;
  }

  /** Integers in decimal. */
  public static KeyCodec<Integer> integers() {
    return INTEGERS;
  }

  /** UUIDs in their canonical form. */
  public static KeyCodec<UUID> uuids() {
    return UUIDS;
  }
}
