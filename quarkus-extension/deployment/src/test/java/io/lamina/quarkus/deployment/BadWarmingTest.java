package io.lamina.quarkus.deployment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import io.quarkus.test.QuarkusUnitTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** A warming value the warming module refuses stops the start-up, under the property the user wrote. */
class BadWarmingTest {

  @RegisterExtension
  static final QuarkusUnitTest APP = new QuarkusUnitTest()
      .withApplicationRoot(jar -> jar.addClasses(Catalog.class, Catalog.Product.class, Failures.class))
      .overrideConfigKey("quarkus.cache.type", "lamina")
      .overrideConfigKey("quarkus.lamina.caches.products.warming.enabled", "true")
      .overrideConfigKey("quarkus.lamina.caches.products.warming.keys", "l:1,l:2")
      .overrideConfigKey("quarkus.lamina.caches.products.warming.batch-size", "0")
      .assertException(t -> assertThat(Failures.chain(t)).contains(
          "io.quarkus.runtime.configuration.ConfigurationException: quarkus.lamina.caches.products.warming.batch-size=0"
              + " is not valid: must be within [1, 10000]"));

  @Test
  void theApplicationDoesNotStart() {
    fail("the application should not have started");
  }
}
