package io.lamina.codec.fory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lamina.codec.CodecIds;
import io.lamina.codec.Sample;
import io.lamina.codec.Tripwire;
import io.lamina.codec.ValueCodecContract;
import io.lamina.spi.ValueCodec;
import org.junit.jupiter.api.Test;

class ForyValueCodecTest extends ValueCodecContract {

  private static final ForyValueCodec<Sample> CODEC = ForyValueCodec.builder(Sample.class)
      .register(Sample.Address.class, Sample.Kind.class).build();

  @Override
  protected ValueCodec<Sample> codec() {
    return CODEC;
  }

  @Test
  void id_isFory() {
    assertThat(CODEC.id()).isEqualTo(CodecIds.FORY);
  }

  @Test
  void unregisteredClass_isRefusedOnEncode() {
    ForyValueCodec<Object> strict = ForyValueCodec.builder(Object.class).build();
    assertThatThrownBy(() -> strict.encode(new Tripwire())).isInstanceOf(RuntimeException.class);
  }

  @Test
  void unregisteredClass_withARegistrationSetting_isRefusedNamingTheSettingAndTheClass() {
    ForyValueCodec<Object> named = ForyValueCodec.builder(Object.class).registrationSetting("app.value-types").build();
    for (int i = 0; i < 2; i++) { // every call, not only the first
      assertThatThrownBy(() -> named.encode(new Tripwire())).isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("app.value-types").hasMessageContaining(Tripwire.class.getName());
    }
    assertThat(named.encode("a JDK type")).isNotEmpty();
  }

  @Test
  void unregisteredClass_inTheData_isNeverInstantiated() {
    Tripwire.TOUCHED.set(false);
    ForyValueCodec<Object> permissive = ForyValueCodec.builder(Object.class).register(Tripwire.class).build();
    byte[] planted = permissive.encode(new Tripwire());
    Tripwire.TOUCHED.set(false);
    ForyValueCodec<Object> strict = ForyValueCodec.builder(Object.class).build();
    assertThatThrownBy(() -> strict.decode(planted, 0, planted.length)).isInstanceOf(RuntimeException.class);
    assertThat(Tripwire.TOUCHED).isFalse();
  }

  @Test
  void numericIds_work_andConflictsAreRejected() {
    ForyValueCodec<Sample> byId = ForyValueCodec.builder(Sample.class).register(Sample.Address.class, 300)
        .register(Sample.Kind.class, 301).build();
    Sample s = Sample.of(9);
    byte[] b = byId.encode(s);
    assertThat(byId.decode(b, 0, b.length)).isEqualTo(s);
    assertThatThrownBy(() -> ForyValueCodec.builder(Sample.class).register(Sample.Address.class, 300)
        .register(Sample.Kind.class, 300)).isInstanceOf(IllegalArgumentException.class);
  }

  /** A value nesting itself. */
  public record Nest(Nest inner) {}

  @Test
  void aPayloadNestedDeeperThanMaxDepth_isRefused_notAStackOverflow() {
    ForyValueCodec<Nest> codec = ForyValueCodec.builder(Nest.class).build();
    Nest deep = null;
    for (int i = 0; i < ForyValueCodec.MAX_DEPTH * 4; i++) {
      deep = new Nest(deep);
    }
    Nest value = deep;
    byte[] planted;
    try {
      planted = codec.encode(value);
    } catch (RuntimeException refusedOnWrite) {
      assertThat(refusedOnWrite).hasMessageContaining("depth");
      return;
    }
    assertThatThrownBy(() -> codec.decode(planted, 0, planted.length)).isInstanceOf(RuntimeException.class)
        .hasMessageContaining("depth");
    Nest shallow = new Nest(new Nest(null));
    byte[] ok = codec.encode(shallow);
    assertThat(codec.decode(ok, 0, ok.length)).isEqualTo(shallow);
  }
}
