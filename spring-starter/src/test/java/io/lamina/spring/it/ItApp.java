package io.lamina.spring.it;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.WebApplicationType;
import org.springframework.cache.annotation.CacheEvict;
import org.springframework.cache.annotation.CachePut;
import org.springframework.cache.annotation.Cacheable;
import org.springframework.cache.annotation.EnableCaching;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The application the integration tests start, once or twice (two instances sharing one source and Redis). */
@Configuration(proxyBeanMethods = false)
@EnableAutoConfiguration
@EnableCaching
public class ItApp {

  /** The rows of the shared source of truth (a database, in a real service). */
  static final Map<Long, Product> ROWS = new ConcurrentHashMap<>();

  /** A cached value: a record, encoded by Fory because it is listed in value-types. */
  public record Product(long id, String name) {}

  /** One instance's reads of the source. */
  public static final class Reads {
    final AtomicInteger count = new AtomicInteger();

    public int count() {
      return count.get();
    }
  }

  /** The cached service. */
  public static class Catalog {
    private final Reads reads;

    Catalog(Reads reads) {
      this.reads = reads;
    }

    @Cacheable(cacheNames = "products", sync = true)
    public Product find(long id) {
      reads.count.incrementAndGet();
      return ROWS.get(id);
    }

    @Cacheable(cacheNames = "products")
    public Product findUnsynced(long id) {
      reads.count.incrementAndGet();
      return ROWS.get(id);
    }

    @CachePut(cacheNames = "products", key = "#p0")
    public Product rename(long id, String name) {
      Product p = new Product(id, name);
      ROWS.put(id, p);
      return p;
    }

    @CacheEvict(cacheNames = "products")
    public void delete(long id) {
      ROWS.remove(id);
    }

    @CacheEvict(cacheNames = "products", allEntries = true)
    public void reloadAll() {}
  }

  @Bean
  Reads reads() {
    return new Reads();
  }

  @Bean
  Catalog catalog(Reads reads) {
    return new Catalog(reads);
  }

  /** Starts one instance with {@code properties} ({@code key=value}). */
  static ConfigurableApplicationContext start(boolean web, String... properties) {
    SpringApplication app = new SpringApplicationBuilder(ItApp.class)
        .web(web ? WebApplicationType.SERVLET : WebApplicationType.NONE)
        .properties(properties)
        .build();
    return app.run();
  }
}
