package io.lamina.quarkus.runtime;

import io.lamina.spi.ValueCodec;

/** A codec for one class behind a cache of objects: a value of another class is refused, naming the setting. */
final class TypeCheckedCodec<T> implements ValueCodec<Object> {

  private final String prefix;
  private final Class<T> type;
  private final ValueCodec<T> codec;

  private TypeCheckedCodec(String prefix, Class<T> type, ValueCodec<T> codec) {
    this.prefix = prefix;
    this.type = type;
    this.codec = codec;
  }

  static <T> ValueCodec<Object> of(String prefix, Class<T> type, ValueCodec<T> codec) {
    return new TypeCheckedCodec<>(prefix, type, codec);
  }

  @Override
  public int id() {
    return codec.id();
  }

  @Override
  public byte[] encode(Object value) {
    if (!type.isInstance(value)) {
      throw new IllegalArgumentException(prefix + " encodes " + type.getName() + " values (" + codec
          + "), but was given a " + value.getClass().getName() + "; set " + prefix + ".codec and value-types to match");
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
}
