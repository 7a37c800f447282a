package io.lamina.examples.pricing;

import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.config.MeterFilter;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Every meter tagged {@code application=<quarkus.application.name>}, as the catalog's are through
 * {@code management.metrics.tags.application}: the dashboard in {@code examples/observability} selects services
 * by that label.
 */
@Singleton
public class MeterTags {

  @Produces
  @Singleton
  MeterFilter applicationTag(@ConfigProperty(name = "quarkus.application.name") String application) {
    return MeterFilter.commonTags(Tags.of("application", application));
  }
}
