package io.lamina.quarkus.deployment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import io.quarkus.test.QuarkusUnitTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Choosing the lamina cache type while the extension is off fails the build, naming both properties. */
class DisabledButChosenTest {

  @RegisterExtension
  static final QuarkusUnitTest APP = new QuarkusUnitTest()
      .withApplicationRoot(jar -> jar.addClasses(Catalog.class, Catalog.Product.class))
      .overrideConfigKey("quarkus.lamina.enabled", "false")
      .overrideConfigKey("quarkus.cache.\"products\".type", "lamina")
      .assertException(t -> {
        Throwable cause = t;
        StringBuilder messages = new StringBuilder();
        while (cause != null) {
          messages.append(cause.getMessage()).append('\n');
          cause = cause.getCause();
        }
        assertThat(messages.toString())
            .contains("quarkus.cache.\"products\".type=lamina, but quarkus.lamina.enabled=false");
      });

  @Test
  void theBuildFails() {
    fail("the build should have failed");
  }
}
