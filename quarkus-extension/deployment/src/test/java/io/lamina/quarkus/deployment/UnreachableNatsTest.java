package io.lamina.quarkus.deployment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import io.quarkus.test.QuarkusUnitTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A NATS server that cannot be reached stops the start-up with quarkus.lamina.bus.type=nats (as
 * quarkus.lamina.bus.nats.required is true by default), naming the URL property and what to do.
 */
class UnreachableNatsTest {

  @RegisterExtension
  static final QuarkusUnitTest APP = new QuarkusUnitTest()
      .withApplicationRoot(jar -> jar.addClasses(Catalog.class, Catalog.Product.class, Failures.class))
      .overrideConfigKey("quarkus.cache.type", "lamina")
      .overrideConfigKey("quarkus.lamina.bus.type", "nats")
      .overrideConfigKey("quarkus.lamina.bus.nats.url", "nats://127.0.0.1:1")
      .assertException(t -> assertThat(Failures.chain(t)).contains(
          "java.lang.IllegalStateException: NATS cannot be reached at quarkus.lamina.bus.nats.url=nats://127.0.0.1:1 (")
          .contains("); start it, correct the URL, set quarkus.lamina.bus.nats.required=false to start without"
              + " it, or choose another quarkus.lamina.bus.type"));

  @Test
  void theApplicationDoesNotStart() {
    fail("the application should not have started");
  }
}
