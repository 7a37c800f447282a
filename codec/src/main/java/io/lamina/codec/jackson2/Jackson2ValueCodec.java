package io.lamina.codec.jackson2;

import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.lamina.codec.CodecIds;
import io.lamina.spi.ValueCodec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Objects;

/**
 * JSON through Jackson 2 ({@code com.fasterxml.jackson}), for a fixed target type. Safe by default: the codec's
 * own mapper never enables default typing, so no class name is ever taken from the data. If you pass your own
 * mapper, keep default typing off.
 *
 * @param <V> the value type
 */
public final class Jackson2ValueCodec<V> implements ValueCodec<V> {

  private final ObjectReader reader;
  private final ObjectWriter writer;
  private final String typeName;

  private Jackson2ValueCodec(ObjectMapper mapper, JavaType type) {
    this.reader = mapper.readerFor(type);
    this.writer = mapper.writerFor(type);
    this.typeName = type.toCanonical();
  }

  /** A codec for {@code type} with a plain {@link JsonMapper} (modules found on the classpath are not added). */
  public static <V> Jackson2ValueCodec<V> of(Class<V> type) {
    return of(JsonMapper.builder().build(), type);
  }

  /** A codec for {@code type} with your mapper. */
  public static <V> Jackson2ValueCodec<V> of(ObjectMapper mapper, Class<V> type) {
    return new Jackson2ValueCodec<>(mapper, mapper.constructType(Objects.requireNonNull(type, "type")));
  }

  /** A codec for a generic type, such as {@code mapper.getTypeFactory().constructCollectionType(List.class, P.class)}. */
  public static <V> Jackson2ValueCodec<V> of(ObjectMapper mapper, JavaType type) {
    return new Jackson2ValueCodec<>(mapper, Objects.requireNonNull(type, "type"));
  }

  @Override
  public int id() {
    return CodecIds.JACKSON2;
  }

  @Override
  public byte[] encode(V value) {
    try {
      return writer.writeValueAsBytes(value);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot encode " + typeName, e);
    }
  }

  @Override
  public V decode(byte[] data, int offset, int length) {
    try {
      return Objects.requireNonNull(reader.readValue(data, offset, length), "JSON null is not a value");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot decode " + typeName, e);
    }
  }

  @Override
  public String toString() {
    return "Jackson2ValueCodec{" + typeName + '}';
  }
}
