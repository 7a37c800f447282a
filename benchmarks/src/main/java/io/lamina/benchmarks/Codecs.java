package io.lamina.benchmarks;

import io.lamina.codec.fory.ForyValueCodec;
import io.lamina.codec.jackson2.Jackson2ValueCodec;
import io.lamina.codec.jackson3.Jackson3ValueCodec;
import io.lamina.codec.kryo.KryoValueCodec;
import io.lamina.spi.ValueCodec;

/** Lamina's codecs for {@link Product}, configured the way an application would. */
public final class Codecs {

  private Codecs() {}

  /** The default: Fory with the product's classes registered by name. */
  public static ValueCodec<Product> fory() {
    return ForyValueCodec.builder(Product.class).register(Product.Address.class, Product.Kind.class).build();
  }

  /** Kryo 5 with explicit registration ids. */
  public static ValueCodec<Product> kryo() {
    return KryoValueCodec.builder(Product.class, 100).register(Product.Address.class, 101)
        .register(Product.Kind.class, 102).build();
  }

  /** JSON through Jackson 2. */
  public static ValueCodec<Product> jackson2() {
    return Jackson2ValueCodec.of(Product.class);
  }

  /** JSON through Jackson 3. */
  public static ValueCodec<Product> jackson3() {
    return Jackson3ValueCodec.of(Product.class);
  }
}
