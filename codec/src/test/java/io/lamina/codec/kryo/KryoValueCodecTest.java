package io.lamina.codec.kryo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.Serializer;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;
import io.lamina.codec.CodecIds;
import io.lamina.codec.Sample;
import io.lamina.codec.Tripwire;
import io.lamina.codec.ValueCodecContract;
import io.lamina.spi.ValueCodec;
import java.util.ArrayList;
import java.util.List;
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

  /** A value holding a list, and a value nesting itself. */
  record Holder(ArrayList<String> items) {}

  record Nest(Nest inner) {}

  @Test
  void aDeclaredCountLargerThanThePayload_isRefusedBeforeAllocating() {
    Kryo liar = new Kryo();
    liar.register(ArrayList.class, new Serializer<ArrayList<?>>() {
      @Override
      public void write(Kryo k, Output out,
          ArrayList<?> list) {
        out.writeVarInt(Integer.MAX_VALUE, true); // "two billion elements follow"
      }

      @Override
      public ArrayList<?> read(Kryo k, Input in,
          Class<? extends ArrayList<?>> type) {
        throw new UnsupportedOperationException();
      }
    }, 10);
    liar.register(Holder.class, 150);
    Output out = new Output(64);
    liar.writeObject(out, new Holder(new ArrayList<>()));
    byte[] planted = out.toBytes();
    KryoValueCodec<Holder> reader = KryoValueCodec.builder(Holder.class, 150).build();
    assertThatThrownBy(() -> reader.decode(planted, 0, planted.length))
        .isInstanceOf(RuntimeException.class).hasMessageContaining("declares");
    ArrayList<String> items = new ArrayList<>(List.of("a", "b"));
    byte[] good = reader.encode(new Holder(items));
    assertThat(reader.decode(good, 0, good.length).items()).containsExactly("a", "b");
  }

  @Test
  void aPayloadNestedDeeperThanMaxDepth_isRefused_notAStackOverflow() {
    Kryo unlimited = new Kryo();
    unlimited.register(Nest.class, 151);
    Nest deep = null;
    // Three times the limit: deep enough to be refused, shallow enough for the unlimited writer's own stack on
    // every JDK (2,000 levels overflowed it on JDK 25).
    for (int i = 0; i < 3 * KryoValueCodec.MAX_DEPTH; i++) {
      deep = new Nest(deep);
    }
    Output out = new Output(64, -1);
    unlimited.writeObject(out, deep);
    byte[] planted = out.toBytes();
    KryoValueCodec<Nest> reader = KryoValueCodec.builder(Nest.class, 151).build();
    assertThatThrownBy(() -> reader.decode(planted, 0, planted.length))
        .isInstanceOf(RuntimeException.class).hasMessageContaining("depth");
    Nest shallow = new Nest(new Nest(null));
    byte[] ok = reader.encode(shallow);
    assertThat(reader.decode(ok, 0, ok.length)).isEqualTo(shallow);
  }
}
