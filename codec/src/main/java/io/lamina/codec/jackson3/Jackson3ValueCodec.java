package io.lamina.codec.jackson3;

import io.lamina.codec.CodecIds;
import io.lamina.spi.ValueCodec;
import java.util.Objects;
import tools.jackson.databind.JavaType;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.ObjectReader;
import tools.jackson.databind.ObjectWriter;
import tools.jackson.databind.json.JsonMapper;

/**
 * JSON through Jackson 3 ({@code tools.jackson}), for a fixed target type. Safe by default: the codec's own
 * mapper never enables default typing, so no class name is ever taken from the data. If you pass your own
 * mapper, keep default typing off.
 *
 * @param <V> the value type
 */
public final class Jackson3ValueCodec<V> implements ValueCodec<V> {

  private final ObjectReader reader;
  private final ObjectWriter writer;
  private final String typeName;

  private Jackson3ValueCodec(ObjectMapper mapper, JavaType type) {
    this.reader = mapper.readerFor(type);
    this.writer = mapper.writerFor(type);
    this.typeName = type.toCanonical();
  }

  /** A codec for {@code type} with a plain {@link JsonMapper}. */
  public static <V> Jackson3ValueCodec<V> of(Class<V> type) {
    return of(JsonMapper.builder().build(), type);
  }

  /** A codec for {@code type} with your mapper. */
  public static <V> Jackson3ValueCodec<V> of(ObjectMapper mapper, Class<V> type) {
    return new Jackson3ValueCodec<>(mapper, mapper.constructType(Objects.requireNonNull(type, "type")));
  }

  /** A codec for a generic type, such as {@code mapper.getTypeFactory().constructCollectionType(List.class, P.class)}. */
  public static <V> Jackson3ValueCodec<V> of(ObjectMapper mapper, JavaType type) {
    return new Jackson3ValueCodec<>(mapper, Objects.requireNonNull(type, "type"));
  }

  @Override
  public int id() {
    return CodecIds.JACKSON3;
  }

  @Override
  public byte[] encode(V value) {
    return writer.writeValueAsBytes(value);
  }

  @Override
  public V decode(byte[] data, int offset, int length) {
    return Objects.requireNonNull(reader.readValue(data, offset, length), "JSON null is not a value");
  }

  @Override
  public String toString() {
    return "Jackson3ValueCodec{" + typeName + '}';
  }
}
