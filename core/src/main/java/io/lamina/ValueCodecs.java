package io.lamina;

import io.lamina.spi.ValueCodec;
import java.nio.charset.StandardCharsets;

/** Codecs that need no library. Binary and JSON codecs live in {@code lamina-codec}. */
public final class ValueCodecs {

  /** The id of {@link #utf8()} in the envelope. */
  public static final int UTF8_ID = 5;

  private static final ValueCodec<String> UTF8 = new ValueCodec<>() {
    @Override
    public int id() {
      return UTF8_ID;
    }

    @Override
    public byte[] encode(String value) {
      return value.getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public String decode(byte[] data, int offset, int length) {
      return new String(data, offset, length, StandardCharsets.UTF_8);
    }

    @Override
    public String toString() {
      return "ValueCodecs.utf8()";
    }
  };

  private ValueCodecs() {}

  /** Strings as UTF-8. */
  public static ValueCodec<String> utf8() {
    return UTF8;
  }

  /**
   * {@code codec} behind a cache of objects (as the Spring and Quarkus cache abstractions hold them): a value of
   * another class than {@code type} is refused with an {@link IllegalArgumentException} that names
   * {@code settings}, the configuration prefix where the cache's codec and value types are chosen.
   */
  public static <T> ValueCodec<Object> checked(Class<T> type, ValueCodec<T> codec, String settings) {
    return new ValueCodec<>() {
      @Override
      public int id() {
        return codec.id();
      }

      @Override
      public byte[] encode(Object value) {
        if (!type.isInstance(value)) {
          throw new IllegalArgumentException(settings + " encodes " + type.getName() + " values (" + codec
              + "), but was given a " + value.getClass().getName() + "; set " + settings
              + ".codec and value-types to match");
        }
        return codec.encode(type.cast(value));
      }

      @Override
      public Object decode(byte[] data, int offset, int length) {
        return codec.decode(data, offset, length);
      }

      @Override
      public String toString() {
        return codec.toString();
      }
    };
  }
}
