package io.lamina.examples.pricing;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.util.Optional;

/** {@code pricing.*}: where the database is. */
@ConfigMapping(prefix = "pricing")
public interface PricingConfig {

  /** The database. */
  Datasource datasource();

  /** The embedded PostgreSQL started when {@code pricing.datasource.url} is not set. */
  EmbeddedPostgres embeddedPostgres();

  /** The database connection. */
  interface Datasource {
    /** A {@code jdbc:postgresql:} URL; unset: start an embedded PostgreSQL. */
    Optional<String> url();

    /** The user; unset: the URL's, else the driver's default. */
    Optional<String> username();

    /** The password; unset: the URL's, or none. */
    Optional<String> password();

    /** Connections in the pool. */
    @WithDefault("8")
    int maxPoolSize();
  }

  /** The embedded database. */
  interface EmbeddedPostgres {
    /** A file to write the embedded database's JDBC URL to, so other services can share it. */
    Optional<String> urlFile();
  }
}
