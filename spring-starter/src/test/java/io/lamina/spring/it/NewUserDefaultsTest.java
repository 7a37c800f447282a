package io.lamina.spring.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.lamina.spring.it.ItApp.Catalog;
import io.lamina.spring.it.ItApp.Product;
import io.lamina.spring.it.ItApp.Reads;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.cache.annotation.Cacheable;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * What the README tells a new user, checked as one would meet it under Boot's defaults (no servers: caches are
 * local, {@code lamina.local-only=true}): {@code @Cacheable} needs {@code @EnableCaching}, and
 * {@code /actuator/health/lamina} needs the health endpoint to show its components.
 */
class NewUserDefaultsTest {

  /** An application that forgot {@code @EnableCaching}. */
  @Configuration(proxyBeanMethods = false)
  @EnableAutoConfiguration
  static class WithoutEnableCaching {
    static final AtomicInteger CALLS = new AtomicInteger();

    public static class Service {
      @Cacheable("products")
      public Product find(long id) {
        CALLS.incrementAndGet();
        return new Product(id, "p");
      }
    }

    @Bean
    Service service() {
      return new Service();
    }
  }

  @Test
  void withoutEnableCaching_cacheableDoesNothing() {
    try (ConfigurableApplicationContext app = new SpringApplicationBuilder(WithoutEnableCaching.class)
        .web(WebApplicationType.NONE).properties("lamina.local-only=true").run()) {
      WithoutEnableCaching.Service service = app.getBean(WithoutEnableCaching.Service.class);
      service.find(1);
      service.find(1);
      assertThat(WithoutEnableCaching.CALLS).as("the method ran twice: nothing cached").hasValue(2);
    }
  }

  @Test
  void withEnableCaching_cacheableCaches() {
    try (ConfigurableApplicationContext app = ItApp.start(false, "lamina.local-only=true",
        "lamina.namespace=new-user")) {
      ItApp.ROWS.put(3L, new Product(3, "three"));
      Reads reads = app.getBean(Reads.class);
      int before = reads.count();
      app.getBean(Catalog.class).find(3);
      app.getBean(Catalog.class).find(3);
      assertThat(reads.count() - before).isEqualTo(1);
    }
  }

  @Test
  void healthLamina_is404UnderBootsDefaults_and200WithShowComponents() throws Exception {
    try (ConfigurableApplicationContext app = ItApp.start(true, "lamina.local-only=true", "server.port=0",
        "server.address=127.0.0.1")) {
      assertThat(get(app, "/actuator/health").statusCode()).isEqualTo(200);
      assertThat(get(app, "/actuator/health/lamina").statusCode())
          .as("Boot hides components (show-components follows show-details, never by default)").isEqualTo(404);
    }
    try (ConfigurableApplicationContext app = ItApp.start(true, "lamina.local-only=true", "server.port=0",
        "server.address=127.0.0.1", "management.endpoint.health.show-components=always")) {
      HttpResponse<String> lamina = get(app, "/actuator/health/lamina");
      assertThat(lamina.statusCode()).isEqualTo(200);
      assertThat(lamina.body()).contains("\"status\":\"UP\"").contains("coherence").doesNotContain("details");
    }
  }

  private static HttpResponse<String> get(ConfigurableApplicationContext app, String path) throws Exception {
    String url = "http://127.0.0.1:" + app.getEnvironment().getProperty("local.server.port") + path;
    return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url)).GET().build(),
        HttpResponse.BodyHandlers.ofString());
  }
}
