package io.lamina.quarkus.deployment;

import static org.assertj.core.api.Assertions.assertThat;

import io.lamina.quarkus.runtime.LaminaCaches;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * The extension's own records of each shutdown step (debug level, so the test sets
 * {@code quarkus.log.category."io.lamina.quarkus.runtime".level=DEBUG}), kept by a test while the application runs
 * and read by an after-undeploy listener once it has stopped. They travel in a system property as JDK types, since
 * the listener runs outside the application's class loader.
 */
final class ShutdownSteps {

  private static final String RECORDS = "lamina.test.shutdown.records";

  private ShutdownSteps() {}

  /** Starts keeping the records; called by a test while the application runs. */
  static void keep() {
    List<LogRecord> records = new CopyOnWriteArrayList<>();
    Logger logger = Logger.getLogger(LaminaCaches.class.getName());
    logger.addHandler(new Handler() {
      @Override
      public void publish(LogRecord record) {
        records.add(record);
      }

      @Override
      public void flush() {}

      @Override
      public void close() {}
    });
    System.getProperties().put(RECORDS, records);
  }

  /** Checks the records kept: every cache of {@link Catalog} closed, then NATS, then Redis. */
  @SuppressWarnings("unchecked")
  static void closedInOrder() {
    List<LogRecord> records = (List<LogRecord>) System.getProperties().remove(RECORDS);
    assertThat(records).as("the test kept the records").isNotNull();
    List<String> steps = new ArrayList<>();
    for (LogRecord r : records) {
      String m = r.getMessage();
      if (m.contains("closed cache")) {
        steps.add("cache");
      } else if (m.contains("NATS connection")) {
        steps.add(m.contains("closed the NATS connection it opened") ? "nats closed" : "nats left open");
      } else if (m.contains("Redisson client")) {
        steps.add(m.contains("shut down the Redisson client it created") ? "redisson shut down" : "redisson left");
      }
    }
    assertThat(steps).as("every cache (Catalog has five), then NATS, then Redis")
        .containsExactly("cache", "cache", "cache", "cache", "cache", "nats closed", "redisson shut down");
  }
}
