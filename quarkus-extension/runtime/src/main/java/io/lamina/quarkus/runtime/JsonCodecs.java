package io.lamina.quarkus.runtime;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.lamina.codec.jackson2.Jackson2ValueCodec;
import io.lamina.spi.ValueCodec;
import io.quarkus.arc.Arc;
import io.quarkus.arc.InstanceHandle;
import io.quarkus.runtime.configuration.ConfigurationException;

/**
 * The codecs of {@code codec=json}: Jackson 2 on the application's {@link ObjectMapper} (or a default one), never
 * taking a class from the data. Jackson is an optional dependency, so only {@link Jackson} names its types: this
 * class loads, and says what to add, without it.
 */
final class JsonCodecs {

  private JsonCodecs() {}

  /** A JSON codec for {@code type}; fails, saying which dependency to add, when Jackson 2 is missing. */
  static ValueCodec<Object> of(Class<?> type) {
    try {
      Class.forName("com.fasterxml.jackson.databind.ObjectMapper", false, JsonCodecs.class.getClassLoader());
    } catch (ClassNotFoundException e) {
      throw new ConfigurationException("codec json needs Jackson 2 (com.fasterxml.jackson.core:jackson-databind,"
          + " or quarkus-jackson) on the classpath");
    }
    return Jackson.codec(type);
  }

  /** Loaded only once Jackson is known to be there. */
  static final class Jackson {

    private Jackson() {}

    static ValueCodec<Object> codec(Class<?> type) {
      InstanceHandle<ObjectMapper> bean = Arc.container().instance(ObjectMapper.class);
      ObjectMapper mapper = bean.isAvailable() ? bean.get() : new ObjectMapper().findAndRegisterModules();
      return codec(mapper, type);
    }

    /**
     * A codec on a copy of {@code mapper} (its modules and features) with default typing turned off: with it on,
     * a class id found in Redis would choose the class Jackson instantiates, and anyone who can write to Redis
     * could pick it.
     */
    @SuppressWarnings("unchecked")
    static ValueCodec<Object> codec(ObjectMapper mapper, Class<?> type) {
      ObjectMapper safe = mapper.copy().deactivateDefaultTyping();
      return (ValueCodec<Object>) (ValueCodec<?>) Jackson2ValueCodec.of(safe, type);
    }
  }
}
