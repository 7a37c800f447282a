package io.lamina.codec.jackson2;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.json.JsonMapper;
import io.lamina.codec.CodecIds;
import io.lamina.codec.Sample;
import io.lamina.codec.Tripwire;
import io.lamina.codec.ValueCodecContract;
import io.lamina.spi.ValueCodec;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class Jackson2ValueCodecTest extends ValueCodecContract {

  private static final Jackson2ValueCodec<Sample> CODEC = Jackson2ValueCodec.of(Sample.class);

  @Override
  protected ValueCodec<Sample> codec() {
    return CODEC;
  }

  @Test
  void id_isJackson2() {
    assertThat(CODEC.id()).isEqualTo(CodecIds.JACKSON2);
  }

  @Test
  void typeIdsInTheData_areNeverHonoured() {
    Tripwire.TOUCHED.set(false);
    byte[] planted = "[\"io.lamina.codec.Tripwire\",{\"payload\":\"x\"}]".getBytes(StandardCharsets.UTF_8);
    Jackson2ValueCodec<Object> anything = Jackson2ValueCodec.of(Object.class);
    Object decoded = anything.decode(planted, 0, planted.length);
    assertThat(decoded).isInstanceOf(List.class);
    byte[] withClassProperty = "{\"@class\":\"io.lamina.codec.Tripwire\",\"payload\":\"x\"}"
        .getBytes(StandardCharsets.UTF_8);
    assertThat(anything.decode(withClassProperty, 0, withClassProperty.length)).isInstanceOf(Map.class);
    assertThat(Tripwire.TOUCHED).isFalse();
  }

  @Test
  void genericTypes_roundTrip() {
    JsonMapper mapper = JsonMapper.builder().build();
    Jackson2ValueCodec<List<Sample>> list = Jackson2ValueCodec.of(mapper,
        mapper.getTypeFactory().constructCollectionType(List.class, Sample.class));
    List<Sample> value = List.of(Sample.of(1), Sample.of(2));
    byte[] bytes = list.encode(value);
    assertThat(list.decode(bytes, 0, bytes.length)).isEqualTo(value);
  }

  @Test
  void jsonNull_isNotAValue() {
    byte[] nul = "null".getBytes(StandardCharsets.UTF_8);
    assertThatThrownBy(() -> CODEC.decode(nul, 0, nul.length)).isInstanceOf(NullPointerException.class);
  }
}
