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
}
