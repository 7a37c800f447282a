package io.lamina.quarkus.deployment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import io.quarkus.runtime.configuration.ConfigurationException;
import io.quarkus.test.QuarkusUnitTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** A value Lamina refuses stops the application at start-up, under the property the user wrote. */
class StartupFailureTest {

  @RegisterExtension
  static final QuarkusUnitTest APP = new QuarkusUnitTest()
      .withApplicationRoot(jar -> jar.addClasses(Catalog.class, Catalog.Product.class))
      .overrideConfigKey("quarkus.cache.type", "lamina")
      .overrideConfigKey("quarkus.lamina.caches.products.l1.ttl-jitter", "1.5")
      .assertException(t -> {
        StringBuilder messages = new StringBuilder();
        for (Throwable cause = t; cause != null; cause = cause.getCause()) {
          messages.append(cause.getClass().getName()).append(": ").append(cause.getMessage()).append('\n');
        }
        assertThat(messages.toString()).contains(ConfigurationException.class.getName() + ": "
            + "quarkus.lamina.caches.products.l1.ttl-jitter=1.5 is not valid: must be in [0, 1)");
      });

  @Test
  void theApplicationDoesNotStart() {
    fail("the application should not have started");
  }
}
