package io.lamina.benchmarks.jmh;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.lamina.benchmarks.Codecs;
import io.lamina.benchmarks.Product;
import io.lamina.spi.ValueCodec;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.concurrent.TimeUnit;
import org.apache.fory.Fory;
import org.apache.fory.ThreadSafeFory;
import org.apache.fory.config.Language;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import tools.jackson.databind.json.JsonMapper;

/**
 * Round trip (encode, then decode) of one ~1 KB, ten-field {@link Product}: each Lamina codec against the raw
 * library it wraps, configured the same way (Fory with registration and codegen, Kryo with registration and no
 * references, Jackson with a plain mapper), as a careful application would call it directly.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@State(Scope.Benchmark)
public class CodecBenchmark {

  private final Product value = Product.of(42, 7);
  private final ValueCodec<Product> laminaFory = Codecs.fory();
  private final ValueCodec<Product> laminaKryo = Codecs.kryo();
  private final ValueCodec<Product> laminaJackson2 = Codecs.jackson2();
  private final ValueCodec<Product> laminaJackson3 = Codecs.jackson3();
  private final ThreadSafeFory rawFory = Fory.builder().withLanguage(Language.JAVA).requireClassRegistration(true)
      .withRefTracking(false).withCodegen(true).buildThreadSafeFory();
  private final ObjectMapper rawJackson2 = new ObjectMapper();
  private final JsonMapper rawJackson3 = JsonMapper.builder().build();

  /** A Kryo and its buffers per thread: Kryo is not thread-safe, and a careful caller reuses buffers. */
  @State(Scope.Thread)
  public static class RawKryo {
    final Kryo kryo = new Kryo();
    final Output output = new Output(4096, -1);
    final Input input = new Input();

    @Setup
    public void setUp() {
      kryo.setRegistrationRequired(true);
      kryo.setReferences(false);
      kryo.register(ArrayList.class, 10);
      kryo.register(LinkedHashMap.class, 11);
      kryo.register(Product.class, 100);
      kryo.register(Product.Address.class, 101);
      kryo.register(Product.Kind.class, 102);
    }
  }

  @Setup
  public void setUp() {
    rawFory.register(Product.class, Product.class.getName());
    rawFory.register(Product.Address.class, Product.Address.class.getName());
    rawFory.register(Product.Kind.class, Product.Kind.class.getName());
  }

  private static Product roundTrip(ValueCodec<Product> codec, Product value) {
    byte[] bytes = codec.encode(value);
    return codec.decode(bytes, 0, bytes.length);
  }

  @Benchmark
  public Product laminaFory() {
    return roundTrip(laminaFory, value);
  }

  @Benchmark
  public Object rawFory() {
    return rawFory.deserialize(rawFory.serialize(value));
  }

  @Benchmark
  public Product laminaKryo() {
    return roundTrip(laminaKryo, value);
  }

  @Benchmark
  public Product rawKryo(RawKryo k) {
    k.output.reset();
    k.kryo.writeObject(k.output, value);
    byte[] bytes = k.output.toBytes(); // what a cache sends to Redis: its own array
    k.input.setBuffer(bytes);
    return k.kryo.readObject(k.input, Product.class);
  }

  @Benchmark
  public Product laminaJackson2() {
    return roundTrip(laminaJackson2, value);
  }

  @Benchmark
  public Product rawJackson2() throws IOException {
    return rawJackson2.readValue(rawJackson2.writeValueAsBytes(value), Product.class);
  }

  @Benchmark
  public Product laminaJackson3() {
    return roundTrip(laminaJackson3, value);
  }

  @Benchmark
  public Product rawJackson3() {
    return rawJackson3.readValue(rawJackson3.writeValueAsBytes(value), Product.class);
  }
}
