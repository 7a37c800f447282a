package io.lamina.spring.autoconfigure;

import io.lamina.spi.ValueCodec;

/** A codec for one class behind a cache of objects: a value of another class is refused with a clear message. */
final class TypeCheckedCodec<T> implements ValueCodec<Object> {

  private final String cache;
  private final Class<T> type;
  private final ValueCodec<T> codec;

  private TypeCheckedCodec(String cache, Class<T> type, ValueCodec<T> codec) {
    this.cache = cache;
    this.type = type;
    this.codec = codec;
  }

  static <T> ValueCodec<Object> of(String cache, Class<T> type, ValueCodec<T> codec) {
    return new TypeCheckedCodec<>(cache, type, codec);
  }

  @Override
  public int id() {
    return codec.id();
  }

  @Override
  public byte[] encode(Object value) {
    if (!type.isInstance(value)) {
      throw new IllegalArgumentException("cache '" + cache + "' encodes " + type.getName() + " values ("
          + codec + "), but was given a " + value.getClass().getName()
          + "; set lamina.caches." + cache + ".codec and value-types to match");
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
