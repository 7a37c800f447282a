package io.lamina.codec.fory;

import io.lamina.codec.CodecIds;
import io.lamina.spi.ValueCodec;
import java.nio.ByteBuffer;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.apache.fory.Fory;
import org.apache.fory.ThreadSafeFory;
import org.apache.fory.config.Language;
import org.apache.fory.exception.ClassUnregisteredException;
import org.apache.fory.exception.InsecureException;
import org.jspecify.annotations.Nullable;

/**
 * The default binary codec, on Apache Fory: fast, compact, and safe by default — class registration is
 * required, so bytes in Redis can never make this JVM load or instantiate a class that was not registered.
 *
 * <p>Register the value class (done for you) and every class reachable from it that is not a JDK type (nested
 * records, enums, your collections' element classes). Registration is by name unless you give an id; either way
 * it does not depend on the order of calls, so nodes agree as long as they register the same classes. Ids are
 * more compact; give them if you like, and never reuse one for another class.
 *
 * <p>Thread-safe. Runs on JDK 17 and newer; on JDK 24+ the JVM warns once that Fory uses
 * {@code sun.misc.Unsafe} (add {@code --sun-misc-unsafe-memory-access=allow} to silence it).
 *
 * @param <V> the value type
 */
public final class ForyValueCodec<V> implements ValueCodec<V> {

  /**
   * The deepest object graph read: bytes nesting deeper (a hostile or damaged payload) are refused with an
   * exception instead of exhausting the reading thread's stack. Fory's own limits on declared container sizes
   * and graph memory stay at their defaults.
   */
  public static final int MAX_DEPTH = 50;

  private final Class<V> type;
  private final ThreadSafeFory fory;
  private final Set<Class<?>> registered;
  private final @Nullable String registrationSetting;

  private ForyValueCodec(Builder<V> b) {
    this.type = b.type;
    this.registered = Set.copyOf(b.classes);
    this.registrationSetting = b.registrationSetting;
    Map<Class<?>, Integer> ids = Map.copyOf(b.ids);
    this.fory = Fory.builder()
        .withLanguage(Language.JAVA)
        .requireClassRegistration(true)
        .withRefTracking(b.refTracking)
        .withCodegen(true)
        .withDeserializeUnknownClass(false)
        .withMaxDepth(MAX_DEPTH)
        .buildThreadSafeFory();
    for (Class<?> c : b.classes) {
      if (c.getName().startsWith("java.")) {
        continue; // JDK types are Fory's own built-ins
      }
      Integer id = ids.get(c);
      if (id != null) {
        fory.register(c, id);
      } else {
        fory.register(c, c.getName());
      }
    }
  }

  /** A builder for values of {@code type}, which is registered by name. */
  public static <V> Builder<V> builder(Class<V> type) {
    return new Builder<>(type);
  }

  @Override
  public int id() {
    return CodecIds.FORY;
  }

  /** The classes this codec accepts besides JDK types: the value type and every class registered. */
  public Set<Class<?>> registeredClasses() {
    return registered;
  }

  /**
   * Encodes {@code value}.
   *
   * @throws IllegalArgumentException if the value holds a class that is not registered and a
   *     {@linkplain Builder#registrationSetting setting} was named (else Fory's own exception)
   */
  @Override
  public byte[] encode(V value) {
    try {
      return fory.serialize(value);
    } catch (InsecureException | ClassUnregisteredException e) {
      if (registrationSetting == null) {
        throw e;
      }
      throw new IllegalArgumentException("A " + value.getClass().getName() + " holds a class that is not"
          + " registered with the fory codec, so it cannot be encoded: add it to " + registrationSetting
          + " (fory: " + e.getMessage() + ")", e);
    }
  }

  @Override
  public V decode(byte[] data, int offset, int length) {
    Object value = fory.deserialize(ByteBuffer.wrap(data, offset, length));
    return type.cast(value);
  }

  @Override
  public String toString() {
    return "ForyValueCodec{" + type.getName() + '}';
  }

  /** Builds a {@link ForyValueCodec}. */
  public static final class Builder<V> {
    private final Class<V> type;
    private final Set<Class<?>> classes = new LinkedHashSet<>();
    private final Map<Class<?>, Integer> ids = new LinkedHashMap<>();
    private boolean refTracking;
    private @Nullable String registrationSetting;

    private Builder(Class<V> type) {
      this.type = Objects.requireNonNull(type, "type");
      classes.add(type);
    }

    /** Allows {@code classes} (registered by name). */
    public Builder<V> register(Class<?>... more) {
      for (Class<?> c : more) {
        classes.add(Objects.requireNonNull(c, "class"));
      }
      return this;
    }

    /** Allows {@code c} under a numeric id, more compact than a name; every node must use the same id. */
    public Builder<V> register(Class<?> c, int id) {
      Objects.requireNonNull(c, "class");
      if (ids.containsValue(id) && !Integer.valueOf(id).equals(ids.get(c))) {
        throw new IllegalArgumentException("Fory id " + id + " is already given to another class");
      }
      classes.add(c);
      ids.put(c, id);
      return this;
    }

    /**
     * Names the setting that lists this codec's classes (such as a configuration property): a value holding a
     * class that is not registered is then refused with an {@link IllegalArgumentException} that says to add the
     * class there, instead of Fory's own exception, which speaks of Fory's API.
     */
    public Builder<V> registrationSetting(String setting) {
      this.registrationSetting = Objects.requireNonNull(setting, "setting");
      return this;
    }

    /** Tracks shared and cyclic references (off by default: slower, and values are usually trees). */
    public Builder<V> referenceTracking(boolean on) {
      this.refTracking = on;
      return this;
    }

    public ForyValueCodec<V> build() {
      return new ForyValueCodec<>(this);
    }
  }
}
