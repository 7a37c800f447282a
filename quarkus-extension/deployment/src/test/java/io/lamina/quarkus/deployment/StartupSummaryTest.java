package io.lamina.quarkus.deployment;

import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.QuarkusUnitTest;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Start-up logs what Lamina set up: here local caches, no bus, and each cache's main settings. */
class StartupSummaryTest {

  @RegisterExtension
  static final QuarkusUnitTest APP = new QuarkusUnitTest()
      .withApplicationRoot(jar -> jar.addClasses(Catalog.class, Catalog.Product.class))
      .overrideConfigKey("quarkus.cache.type", "lamina")
      .overrideConfigKey("quarkus.lamina.namespace", "shop")
      .overrideConfigKey("quarkus.lamina.caches.products.l1.maximum-size", "500")
      .overrideConfigKey("quarkus.lamina.caches.products.l1.expire-after-write", "2m")
      .setLogRecordPredicate(r -> r.getLoggerName().startsWith("io.lamina.quarkus")
          && r.getLevel().intValue() == Level.INFO.intValue())
      .assertLogRecords(records -> {
        assertThat(records).extracting(LogRecord::getMessage)
            .anySatisfy(m -> assertThat(m).startsWith("Lamina: namespace 'shop', Redis none (caches are local to"
                + " this instance), bus none (other instances' L1 entries expire on their own),"))
            .contains("Lamina cache 'products': L1 500 entries for 2m, no L2, cache-aside, load-timeout 10s");
      });

  @Test
  void theSummaryIsLogged() {
    // assertLogRecords checks it once the application has started
  }
}
