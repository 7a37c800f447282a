package io.lamina.codec.kryo;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.KryoException;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;
import com.esotericsoftware.kryo.serializers.CollectionSerializer;
import com.esotericsoftware.kryo.serializers.DefaultSerializers;
import com.esotericsoftware.kryo.serializers.MapSerializer;
import com.esotericsoftware.kryo.util.Pool;
import io.lamina.codec.CodecIds;
import io.lamina.spi.ValueCodec;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.UUID;

/**
 * A binary codec on Kryo 5, with registration required: every class that can appear in a value must be
 * registered with an explicit id, the same on every node, so bytes in Redis can never name an arbitrary class.
 * JDK collections are pre-registered by the builder ({@code ArrayList}, {@code HashMap}, {@code LinkedHashMap},
 * the immutable {@code List.of}/{@code Map.of} types are not: copy them into mutable ones, or register a
 * serializer). Records are supported.
 *
 * <p>Thread-safe through a pool of Kryo instances.
 *
 * @param <V> the value type
 */
public final class KryoValueCodec<V> implements ValueCodec<V> {

  private static final int FIRST_JDK_ID = 10;
  private static final int MAX_BUFFER = 64 * 1024 * 1024;

  /**
   * The deepest object graph read or written: bytes nesting deeper (a hostile or damaged payload) are refused
   * with a {@code KryoException} instead of exhausting the reading thread's stack.
   */
  public static final int MAX_DEPTH = 100;

  private final Class<V> type;
  private final Pool<Kryo> pool;

  private KryoValueCodec(Builder<V> b) {
    this.type = b.type;
    Map<Class<?>, Integer> ids = Map.copyOf(b.ids);
    this.pool = new Pool<>(true, false, 64) {
      @Override
      protected Kryo create() {
        Kryo kryo = new Kryo();
        kryo.setRegistrationRequired(true);
        kryo.setReferences(false);
        kryo.setMaxDepth(MAX_DEPTH);
        int id = FIRST_JDK_ID;
        kryo.register(ArrayList.class, new BoundedCollection<>(), id++);
        kryo.register(HashMap.class, new BoundedMap<>(), id++);
        kryo.register(LinkedHashMap.class, new BoundedMap<>(), id++);
        kryo.register(HashSet.class, new BoundedCollection<>(), id++);
        kryo.register(LinkedHashSet.class, new BoundedCollection<>(), id++);
        for (Class<?> jdk : new Class<?>[] {TreeMap.class, Instant.class, LocalDate.class, BigDecimal.class}) {
          kryo.register(jdk, id++);
        }
        kryo.register(UUID.class, new DefaultSerializers.UUIDSerializer(), id);
        ids.forEach((c, i) -> kryo.register(c, i));
        return kryo;
      }
    };
  }

  /**
   * A builder for values of {@code type}, registered under {@code id}. Ids below 100 are Lamina's (JDK types);
   * give your classes ids from 100 up.
   */
  public static <V> Builder<V> builder(Class<V> type, int id) {
    return new Builder<>(type, id);
  }

  @Override
  public int id() {
    return CodecIds.KRYO;
  }

  @Override
  public byte[] encode(V value) {
    Kryo kryo = pool.obtain();
    try (Output out = new Output(1024, MAX_BUFFER)) {
      kryo.writeObject(out, value);
      return out.toBytes();
    } finally {
      pool.free(kryo);
    }
  }

  @Override
  public V decode(byte[] data, int offset, int length) {
    Kryo kryo = pool.obtain();
    try (Input in = new Input(data, offset, length)) {
      V value = kryo.readObject(in, type);
      if (in.position() != offset + length) {
        throw new IllegalArgumentException("Kryo read " + (in.position() - offset) + " of " + length + " bytes");
      }
      return value;
    } finally {
      pool.free(kryo);
    }
  }

  @Override
  public String toString() {
    return "KryoValueCodec{" + type.getName() + '}';
  }

  /** Builds a {@link KryoValueCodec}. */
  public static final class Builder<V> {
    private final Class<V> type;
    private final Map<Class<?>, Integer> ids = new LinkedHashMap<>();

    private Builder(Class<V> type, int id) {
      this.type = Objects.requireNonNull(type, "type");
      register(type, id);
    }

    /** Allows {@code c} under {@code id} (100 or more); every node must use the same id. */
    public Builder<V> register(Class<?> c, int id) {
      Objects.requireNonNull(c, "class");
      if (id < 100) {
        throw new IllegalArgumentException("Kryo ids below 100 are reserved, but " + c.getName() + " got " + id);
      }
      if (ids.containsValue(id) && !Integer.valueOf(id).equals(ids.get(c))) {
        throw new IllegalArgumentException("Kryo id " + id + " is already given to another class");
      }
      ids.put(c, id);
      return this;
    }

    public KryoValueCodec<V> build() {
      return new KryoValueCodec<>(this);
    }
  }

  /**
   * A collection whose declared size must fit in the bytes left (each element takes at least one), so a payload
   * declaring two billion elements is refused before anything is allocated.
   */
  private static final class BoundedCollection<T extends Collection<?>>
      extends CollectionSerializer<T> {
    @Override
    protected T create(Kryo kryo, Input input, Class<? extends T> type, int size) {
      checkCount(input, size);
      return super.create(kryo, input, type, size);
    }
  }

  /** A map whose declared size must fit in the bytes left, as {@link BoundedCollection}. */
  private static final class BoundedMap<T extends Map<?, ?>>
      extends MapSerializer<T> {
    @Override
    protected T create(Kryo kryo, Input input, Class<? extends T> type, int size) {
      checkCount(input, size);
      return super.create(kryo, input, type, size);
    }
  }

  private static void checkCount(Input input, int count) {
    int left = input.limit() - input.position();
    if (count < 0 || count > left) {
      throw new KryoException("a collection declares " + count
          + " elements, but only " + left + " bytes are left");
    }
  }
}
