package io.lamina.quarkus.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.jsontype.BasicPolymorphicTypeValidator;
import io.lamina.spi.ValueCodec;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The JSON codec never takes a class from the data, whatever the application's ObjectMapper allows. */
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

  @Test
  void anApplicationMapperWithDefaultTyping_stillYieldsACodecThatTakesNoClassFromTheData() throws Exception {
    ObjectMapper application = new ObjectMapper().activateDefaultTyping(
        BasicPolymorphicTypeValidator.builder().allowIfSubType(Object.class).build(),
        ObjectMapper.DefaultTyping.NON_FINAL);
    byte[] planted = ("{\"payload\":[\"" + Gadget.class.getName() + "\",{}]}").getBytes(StandardCharsets.UTF_8);
    Gadget.MADE.set(0);
    application.readValue(planted, Holder.class);
    assertThat(Gadget.MADE).as("the application's mapper instantiates the named class").hasValue(1);

    ValueCodec<Object> codec = JsonCodecs.Jackson.codec(application, Holder.class);
    Gadget.MADE.set(0);
    Object decoded = codec.decode(planted, 0, planted.length);
    assertThat(Gadget.MADE).as("the codec never instantiates a class named by the data").hasValue(0);
    assertThat(((Holder) decoded).payload()).isNotInstanceOf(Gadget.class);
    assertThat(new String(codec.encode(new Holder(new ArrayList<>(List.of("x")))), StandardCharsets.UTF_8))
        .as("no class id written either").isEqualTo("{\"payload\":[\"x\"]}");
  }
}
