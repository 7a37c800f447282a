package io.lamina.quarkus.deployment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import io.quarkus.test.QuarkusUnitTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * quarkus.lamina.bus.type=redis with caches local to each instance (no Redis configured) stops the start-up, naming
 * the property and the ways out.
 */
class RedisBusWithoutRedisTest {

  @RegisterExtension
  static final QuarkusUnitTest APP = new QuarkusUnitTest()
      .withApplicationRoot(jar -> jar.addClasses(Catalog.class, Catalog.Product.class, Failures.class))
      .overrideConfigKey("quarkus.cache.type", "lamina")
      .overrideConfigKey("quarkus.lamina.bus.type", "redis")
      .assertException(t -> assertThat(Failures.chain(t)).contains(
          "io.quarkus.runtime.configuration.ConfigurationException: quarkus.lamina.bus.type=redis is not valid: Redis"
              + " Pub/Sub needs Redis; set quarkus.lamina.redis.address or quarkus.lamina.redis.config, or produce a"
              + " RedissonClient bean"));

  @Test
  void theApplicationDoesNotStart() {
    fail("the application should not have started");
  }
}
