package io.lamina.codec.kryo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lamina.codec.CodecIds;
import io.lamina.codec.Sample;
import io.lamina.codec.Tripwire;
import io.lamina.codec.ValueCodecContract;
import io.lamina.spi.ValueCodec;
import org.junit.jupiter.api.Test;

class KryoValueCodecTest extends ValueCodecContract {

  private static final KryoValueCodec<Sample> CODEC = KryoValueCodec.builder(Sample.class, 100)
      .register(Sample.Address.class, 101).register(Sample.Kind.class, 102).build();

  @Override
  protected ValueCodec<Sample> codec() {
    return CODEC;
  }

  @Test
  void id_isKryo() {
    assertThat(CODEC.id()).isEqualTo(CodecIds.KRYO);
  }

  @Test
  void unregisteredClass_isRefusedOnEncode() {
    KryoValueCodec<Object> strict = KryoValueCodec.builder(Object.class, 100).build();
    assertThatThrownBy(() -> strict.encode(new Tripwire())).isInstanceOf(RuntimeException.class);
  }

  @Test
  void classIdNotRegisteredHere_isNeverInstantiated() {
    KryoValueCodec<Tripwire> writer = KryoValueCodec.builder(Tripwire.class, 150).build();
    byte[] planted = writer.encode(new Tripwire());
    Tripwire.TOUCHED.set(false);
    KryoValueCodec<Sample> reader = CODEC;
    assertThatThrownBy(() -> reader.decode(planted, 0, planted.length)).isInstanceOf(RuntimeException.class);
    assertThat(Tripwire.TOUCHED).isFalse();
  }

  @Test
  void reservedAndDuplicateIds_areRejected() {
    assertThatThrownBy(() -> KryoValueCodec.builder(Sample.class, 5)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("reserved");
    assertThatThrownBy(() -> KryoValueCodec.builder(Sample.class, 100).register(Sample.Address.class, 100))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("already given");
  }
}
