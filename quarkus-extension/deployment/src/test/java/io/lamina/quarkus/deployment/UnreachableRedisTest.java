package io.lamina.quarkus.deployment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import io.quarkus.test.QuarkusUnitTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Redis that cannot be reached stops the start-up (quarkus.lamina.redis.required is true by default), naming the
 * address property and what to do.
 */
class UnreachableRedisTest {

  @RegisterExtension
  static final QuarkusUnitTest APP = new QuarkusUnitTest()
      .withApplicationRoot(jar -> jar.addClasses(Catalog.class, Catalog.Product.class, Failures.class))
      .overrideConfigKey("quarkus.cache.type", "lamina")
      .overrideConfigKey("quarkus.lamina.redis.address", "redis://127.0.0.1:1")
      .overrideConfigKey("quarkus.lamina.redis.connect-timeout", "500ms")
      .assertException(t -> assertThat(Failures.chain(t)).contains(
          "java.lang.IllegalStateException: Redis cannot be reached (quarkus.lamina.redis.address=redis://127.0.0.1:1),"
              + " and quarkus.lamina.redis.required is true: start Redis, correct the address, or set"
              + " quarkus.lamina.redis.required=false to start without it"));

  @Test
  void theApplicationDoesNotStart() {
    fail("the application should not have started");
  }
}
