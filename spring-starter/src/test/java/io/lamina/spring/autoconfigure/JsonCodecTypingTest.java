package io.lamina.spring.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import io.lamina.spi.ValueCodec;
import io.lamina.spring.autoconfigure.CachesConfiguration.JsonCodecs;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import tools.jackson.databind.DefaultTyping;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.jsontype.BasicPolymorphicTypeValidator;

/** The JSON codec never takes a class from the data, whatever the application's mapper allows. */
class JsonCodecTypingTest {

  /** A class a payload names; counts its instances. */
  public static final class Gadget {
    static final AtomicInteger MADE = new AtomicInteger();

    public Gadget() {
      MADE.incrementAndGet();
    }
  }

  /** A value with a field of any type: where default typing would read a class id. */
  public record Holder(Object payload) {}

  @Configuration(proxyBeanMethods = false)
  static class TypingMapper {
    @Bean
    JsonMapper jsonMapper() {
      return JsonMapper.builder()
          .activateDefaultTyping(BasicPolymorphicTypeValidator.builder().allowIfSubType(Object.class).build(),
              DefaultTyping.NON_FINAL)
          .build();
    }
  }

  private final ApplicationContextRunner runner = new ApplicationContextRunner()
      .withConfiguration(AutoConfigurations.of(LaminaAutoConfiguration.class))
      .withUserConfiguration(TypingMapper.class)
      .withPropertyValues("lamina.local-only=true");

  @Test
  void anApplicationMapperWithDefaultTyping_stillYieldsACodecThatTakesNoClassFromTheData() {
    String planted = "{\"payload\":[\"" + Gadget.class.getName() + "\",{}]}";
    // The application's mapper itself would honour the class id: the payload is a real attack on it.
    runner.run(ctx -> {
      JsonMapper own = ctx.getBean(JsonMapper.class);
      Gadget.MADE.set(0);
      own.readValue(planted.getBytes(StandardCharsets.UTF_8), Holder.class);
      assertThat(Gadget.MADE).as("the application's mapper instantiates the named class").hasValue(1);

      ValueCodec<Object> codec = ctx.getBean(JsonCodecs.class).codec(Holder.class);
      Gadget.MADE.set(0);
      byte[] bytes = planted.getBytes(StandardCharsets.UTF_8);
      Object decoded = codec.decode(bytes, 0, bytes.length);
      assertThat(Gadget.MADE).as("the codec never instantiates a class named by the data").hasValue(0);
      assertThat(((Holder) decoded).payload()).isNotInstanceOf(Gadget.class);
      String written = new String(codec.encode(new Holder(new ArrayList<>(List.of("x")))),
          StandardCharsets.UTF_8);
      assertThat(written).as("no class id written either").isEqualTo("{\"payload\":[\"x\"]}");
    });
  }
}
