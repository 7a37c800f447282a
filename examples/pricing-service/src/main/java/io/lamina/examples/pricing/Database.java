package io.lamina.examples.pricing;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.quarkus.runtime.Startup;
import io.quarkus.runtime.configuration.ConfigurationException;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import javax.sql.DataSource;
import org.jboss.logging.Logger;
import org.jspecify.annotations.Nullable;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * The connection pool, on {@code pricing.datasource.url} — or, when that is not set, on an embedded PostgreSQL
 * this instance starts (a real server process on a free loopback port, its data in a temporary directory removed
 * at shutdown) so the example runs without an installed database. Other instances can share the embedded one: its
 * URL is logged and written to {@code pricing.embedded-postgres.url-file} when that is set. At start-up the
 * {@code prices} table is created and filled when it does not exist yet ({@code schema.sql}), under an advisory
 * lock so that instances starting together on one database do not race.
 */
@Startup
@Singleton
public class Database {

  private static final Logger LOG = Logger.getLogger(Database.class);
  /** Any constant both instances agree on: the lock only orders schema creation. */
  private static final long SCHEMA_LOCK = 0x70726963L;

  private final @Nullable EmbeddedPostgres embedded;
  private final HikariDataSource pool;
  private final String url;

  Database(PricingConfig config) {
    PricingConfig.Datasource ds = config.datasource();
    if (ds.maxPoolSize() < 1) {
      throw new ConfigurationException("pricing.datasource.max-pool-size must be at least 1, was " + ds.maxPoolSize());
    }
    String given = ds.url().filter(u -> !u.isBlank()).orElse(null);
    PGSimpleDataSource pg = new PGSimpleDataSource();
    if (given == null) {
      EmbeddedPostgres started = startEmbedded();
      embedded = started;
      url = "jdbc:postgresql://127.0.0.1:" + started.getPort() + "/postgres";
      pg.setURL(url);
      pg.setUser("postgres");
      LOG.infof("started an embedded PostgreSQL: %s (user postgres); set pricing.datasource.url to use your own", url);
      config.embeddedPostgres().urlFile().ifPresent(file -> writeUrl(file, url));
    } else {
      if (!given.startsWith("jdbc:postgresql:")) {
        throw new ConfigurationException("pricing.datasource.url must be a jdbc:postgresql: URL, was " + given);
      }
      embedded = null;
      url = given;
      pg.setURL(given);
      ds.username().ifPresent(pg::setUser);
      ds.password().ifPresent(pg::setPassword);
    }
    HikariConfig hikari = new HikariConfig();
    hikari.setPoolName("pricing");
    hikari.setDataSource(pg);
    hikari.setMaximumPoolSize(ds.maxPoolSize());
    hikari.setConnectionTimeout(5_000);
    HikariDataSource created = null;
    try {
      created = new HikariDataSource(hikari);
      pool = created;
      createSchema();
    } catch (RuntimeException e) {
      // A failed start must not leave a database process behind.
      if (created != null) {
        created.close();
      }
      stopEmbedded();
      throw e;
    }
  }

  /** The pool. */
  public DataSource dataSource() {
    return pool;
  }

  /** The JDBC URL in use (the embedded server's, when this instance started one). */
  public String url() {
    return url;
  }

  @PreDestroy
  void close() {
    pool.close();
    stopEmbedded();
  }

  private void stopEmbedded() {
    if (embedded != null) {
      try {
        embedded.close();
      } catch (IOException e) {
        LOG.warn("could not stop the embedded PostgreSQL cleanly", e);
      }
    }
  }

  private static EmbeddedPostgres startEmbedded() {
    try {
      return EmbeddedPostgres.builder().setServerConfig("listen_addresses", "127.0.0.1").start();
    } catch (IOException e) {
      throw new UncheckedIOException("could not start the embedded PostgreSQL; set pricing.datasource.url to use "
          + "your own database", e);
    }
  }

  private static void writeUrl(String file, String url) {
    try {
      Path target = Path.of(file);
      Path tmp = Files.writeString(target.resolveSibling(target.getFileName() + ".tmp"), url + "\n",
          StandardCharsets.UTF_8);
      Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new UncheckedIOException("could not write pricing.embedded-postgres.url-file=" + file, e);
    }
  }

  private void createSchema() {
    String sql;
    try (InputStream in = Database.class.getResourceAsStream("/schema.sql")) {
      if (in == null) {
        throw new IllegalStateException("schema.sql is missing from the application");
      }
      sql = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    try (Connection c = pool.getConnection(); Statement s = c.createStatement()) {
      c.setAutoCommit(false);
      s.execute("SELECT pg_advisory_xact_lock(" + SCHEMA_LOCK + ")");
      s.execute(sql);
      c.commit();
    } catch (SQLException e) {
      throw new IllegalStateException("could not create the prices table at " + url, e);
    }
  }
}
