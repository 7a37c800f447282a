package io.lamina.codec.jackson3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lamina.codec.CodecIds;
import io.lamina.codec.Sample;
import io.lamina.codec.Tripwire;
import io.lamina.codec.ValueCodecContract;
import io.lamina.spi.ValueCodec;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

class Jackson3ValueCodecTest extends ValueCodecContract {

  private static final Jackson3ValueCodec<Sample> CODEC = Jackson3ValueCodec.of(Sample.class);

  @Override
  protected ValueCodec<Sample> codec() {
    return CODEC;
  }

  @Test
  void id_isJackson3() {
    assertThat(CODEC.id()).isEqualTo(CodecIds.JACKSON3);
  }

  @Test
  void typeIdsInTheData_areNeverHonoured() {
    Tripwire.TOUCHED.set(false);
    byte[] planted = "[\"io.lamina.codec.Tripwire\",{\"payload\":\"x\"}]".getBytes(StandardCharsets.UTF_8);
    Jackson3ValueCodec<Object> anything = Jackson3ValueCodec.of(Object.class);
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
    Jackson3ValueCodec<List<Sample>> list = Jackson3ValueCodec.of(mapper,
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
