package io.lamina.quarkus.deployment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import io.quarkus.test.QuarkusUnitTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Warming enabled with nothing to warm stops the start-up, saying where keys can come from. */
class WarmingWithoutKeysTest {

  @RegisterExtension
  static final QuarkusUnitTest APP = new QuarkusUnitTest()
      .withApplicationRoot(jar -> jar.addClasses(Catalog.class, Catalog.Product.class, Failures.class))
      .overrideConfigKey("quarkus.cache.type", "lamina")
      .overrideConfigKey("quarkus.lamina.caches.prices.warming.enabled", "true")
      .assertException(t -> assertThat(Failures.chain(t)).contains(
          "io.quarkus.runtime.configuration.ConfigurationException: quarkus.lamina.caches.prices.warming.enabled=true"
              + " is not valid: there are no keys to warm for cache 'prices': set"
              + " quarkus.lamina.caches.prices.warming.keys or quarkus.lamina.caches.prices.warming.recorded-hot-keys,"
              + " or declare a LaminaWarmupSource bean whose cache() is 'prices'"));

  @Test
  void theApplicationDoesNotStart() {
    fail("the application should not have started");
  }
}
