package io.lamina.examples.catalog;

import io.lamina.spring.LaminaCaches;
import io.lamina.testkit.server.NatsServer;
import io.lamina.testkit.server.RedisServer;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.awaitility.Awaitility;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.json.JsonMapper;

/**
 * Catalog instances started in this JVM, each with its own Redis, NATS and database connections, sharing one
 * Redis, one NATS server and one PostgreSQL. The first instance starts without a datasource, so it starts the
 * embedded PostgreSQL; the others are given its URL.
 */
final class CatalogInstances implements AutoCloseable {

  static final JsonMapper JSON = JsonMapper.builder().build();
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  private final RedisServer redis;
  private final NatsServer nats;
  private final List<ConfigurableApplicationContext> started = new ArrayList<>();

  CatalogInstances(RedisServer redis, NatsServer nats) {
    this.redis = redis;
    this.nats = nats;
  }

  /** Starts one more instance; {@code more} are extra {@code key=value} properties. */
  Instance start(String... more) {
    List<String> props = new ArrayList<>(List.of("server.port=0", "server.address=127.0.0.1",
        "lamina.redis.address=" + redis.url(), "lamina.bus.nats.url=" + nats.url()));
    if (!started.isEmpty()) {
      props.add("spring.datasource.url=" + started.get(0).getBean("embeddedPostgresUrl", String.class));
      props.add("spring.datasource.username=postgres");
    }
    props.addAll(List.of(more));
    ConfigurableApplicationContext ctx = new SpringApplicationBuilder(CatalogApplication.class)
        .properties(props.toArray(String[]::new)).run();
    started.add(ctx);
    Instance instance = new Instance(ctx);
    Awaitility.await().atMost(Duration.ofSeconds(10))
        .until(() -> instance.ctx.getBean(LaminaCaches.class).get(ProductService.PRODUCTS).coherence().trusted());
    return instance;
  }

  @Override
  public void close() {
    // The first instance owns the embedded database: stop it last.
    for (int i = started.size() - 1; i >= 0; i--) {
      started.get(i).close();
    }
  }

  /** One running instance and an HTTP client for it. */
  static final class Instance {
    final ConfigurableApplicationContext ctx;
    final URI base;

    Instance(ConfigurableApplicationContext ctx) {
      this.ctx = ctx;
      this.base = URI.create("http://127.0.0.1:" + ((WebServerApplicationContext) ctx).getWebServer().getPort());
    }

    HttpResponse<String> get(String path, String... headers) {
      HttpRequest.Builder b = HttpRequest.newBuilder(base.resolve(path)).GET();
      if (headers.length > 0) {
        b.headers(headers);
      }
      return send(b.build());
    }

    HttpResponse<String> put(String path, String json) {
      return send(HttpRequest.newBuilder(base.resolve(path)).header("Content-Type", "application/json")
          .PUT(HttpRequest.BodyPublishers.ofString(json)).build());
    }

    Product product(HttpResponse<String> response) {
      return JSON.readValue(response.body(), Product.class);
    }

    /** SELECT statements this instance sent to the database. */
    double databaseReads() {
      return ctx.getBean(MeterRegistry.class).get("catalog.db.queries").tag("kind", "read").counter().count();
    }

    private static HttpResponse<String> send(HttpRequest request) {
      try {
        return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }
  }
}
