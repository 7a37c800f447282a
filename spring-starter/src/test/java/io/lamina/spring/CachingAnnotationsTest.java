package io.lamina.spring;

import static org.assertj.core.api.Assertions.assertThat;

import io.lamina.spi.KeyFilter;
import io.lamina.spring.autoconfigure.LaminaAutoConfiguration;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.cache.annotation.CacheEvict;
import org.springframework.cache.annotation.CachePut;
import org.springframework.cache.annotation.Cacheable;
import org.springframework.cache.annotation.Caching;
import org.springframework.cache.annotation.EnableCaching;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.AbstractPlatformTransactionManager;
import org.springframework.transaction.support.DefaultTransactionStatus;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import org.springframework.transaction.support.TransactionTemplate;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** Spring's cache annotations on Lamina caches (local only here; the ITs add Redis and a bus). */
class CachingAnnotationsTest {

  private final ApplicationContextRunner runner = new ApplicationContextRunner()
      .withConfiguration(AutoConfigurations.of(LaminaAutoConfiguration.class))
      .withUserConfiguration(App.class)
      .withPropertyValues("lamina.local-only=true");

  /** The source of truth and a count of its reads. */
  static class Source {
    final Map<Long, String> rows = new ConcurrentHashMap<>();
    final AtomicInteger reads = new AtomicInteger();
  }

  /** The cached service (a proxy: its state lives in {@link Source}). */
  static class Catalog {
    private final Source source;

    Catalog(Source source) {
      this.source = source;
    }

    String read(long id) {
      source.reads.incrementAndGet();
      return source.rows.get(id);
    }

    @Cacheable("products")
    public String find(long id) {
      return read(id);
    }

    @Cacheable(cacheNames = "products", sync = true)
    public String findSync(long id) {
      return read(id);
    }

    @CachePut(cacheNames = "products", key = "#p0")
    public String update(long id, String value) {
      source.rows.put(id, value);
      return value;
    }

    @CacheEvict("products")
    public void delete(long id) {
      source.rows.remove(id);
    }

    @CacheEvict(cacheNames = "products", allEntries = true)
    public void deleteAll() {}

    @Caching(evict = {@CacheEvict("products"), @CacheEvict("other")})
    public void forget(long id) {}

    @Cacheable("other")
    public String findOther(long id) {
      return read(id);
    }

    @Cacheable(cacheNames = "tx", sync = true)
    public boolean seesTransaction(long id) {
      return TransactionSynchronizationManager.isActualTransactionActive();
    }

    @Cacheable(cacheNames = "async", sync = true)
    public CompletableFuture<String> findAsyncSync(long id) {
      return CompletableFuture.supplyAsync(() -> read(id));
    }

    @Cacheable("async")
    public CompletableFuture<String> findAsync(long id) {
      return CompletableFuture.supplyAsync(() -> read(id));
    }

    @Cacheable(cacheNames = "mono", sync = true)
    public Mono<String> findMono(long id) {
      return Mono.fromSupplier(() -> read(id));
    }

    @Cacheable("flux")
    public Flux<String> findFlux(long id) {
      return Flux.defer(() -> Flux.just(read(id), "tail"));
    }
  }

  /** A transaction manager with no resource: enough for Spring to run synchronizations at commit. */
  static class NoResourceTransactions extends AbstractPlatformTransactionManager {
    @Override
    protected Object doGetTransaction() {
      return new Object();
    }

    @Override
    protected void doBegin(Object transaction, TransactionDefinition definition) {}

    @Override
    protected void doCommit(DefaultTransactionStatus status) {}

    @Override
    protected void doRollback(DefaultTransactionStatus status) {}
  }

  @Configuration(proxyBeanMethods = false)
  @EnableCaching
  static class App {
    @Bean
    Source source() {
      return new Source();
    }

    @Bean
    Catalog catalog(Source source) {
      return new Catalog(source);
    }

    @Bean
    PlatformTransactionManager transactionManager() {
      return new NoResourceTransactions();
    }
  }

  @Test
  void cacheable_readsTheSourceOncePerKey() {
    runner.run(ctx -> {
      Catalog catalog = ctx.getBean(Catalog.class);
      Source source = ctx.getBean(Source.class);
      source.rows.put(1L, "one");
      assertThat(catalog.find(1)).isEqualTo("one");
      assertThat(catalog.find(1)).isEqualTo("one");
      assertThat(catalog.findSync(1)).as("same cache, same key").isEqualTo("one");
      assertThat(source.reads).hasValue(1);
    });
  }

  @Test
  void cacheableSync_cachesNullAsANegativeResult() {
    runner.run(ctx -> {
      Catalog catalog = ctx.getBean(Catalog.class);
      Source source = ctx.getBean(Source.class);
      assertThat(catalog.findSync(9)).isNull();
      assertThat(catalog.findSync(9)).isNull();
      assertThat(source.reads).hasValue(1);
    });
  }

  @Test
  void cachePut_invalidates_soTheNextReadLoadsTheNewValue() {
    runner.run(ctx -> {
      Catalog catalog = ctx.getBean(Catalog.class);
      Source source = ctx.getBean(Source.class);
      source.rows.put(1L, "old");
      catalog.find(1);
      catalog.update(1, "new");
      assertThat(catalog.find(1)).isEqualTo("new");
      assertThat(source.reads).hasValue(2);
    });
  }

  @Test
  void cachePut_inStoreMode_storesTheNewValue() {
    runner.withPropertyValues("lamina.caches.products.put-mode=store").run(ctx -> {
      Catalog catalog = ctx.getBean(Catalog.class);
      Source source = ctx.getBean(Source.class);
      source.rows.put(1L, "old");
      catalog.find(1);
      catalog.update(1, "new");
      assertThat(catalog.find(1)).isEqualTo("new");
      assertThat(source.reads).as("served from the cache").hasValue(1);
    });
  }

  @Test
  void cacheEvict_oneKeyAndAllEntries() {
    runner.run(ctx -> {
      Catalog catalog = ctx.getBean(Catalog.class);
      Source source = ctx.getBean(Source.class);
      source.rows.putAll(Map.of(1L, "one", 2L, "two"));
      catalog.find(1);
      catalog.find(2);
      catalog.delete(1);
      assertThat(catalog.find(1)).isNull();
      assertThat(catalog.find(2)).as("still cached").isEqualTo("two");
      assertThat(source.reads).hasValue(3);
      catalog.deleteAll();
      catalog.find(2);
      assertThat(source.reads).hasValue(4);
    });
  }

  @Test
  void caching_evictsFromEveryNamedCache() {
    runner.run(ctx -> {
      Catalog catalog = ctx.getBean(Catalog.class);
      Source source = ctx.getBean(Source.class);
      source.rows.put(1L, "one");
      catalog.find(1);
      catalog.findOther(1);
      catalog.forget(1);
      catalog.find(1);
      catalog.findOther(1);
      assertThat(source.reads).hasValue(4);
    });
  }

  @Test
  void completableFutures_syncAndNot_areCached() {
    runner.run(ctx -> {
      Catalog catalog = ctx.getBean(Catalog.class);
      Source source = ctx.getBean(Source.class);
      source.rows.put(1L, "one");
      source.rows.put(2L, "two");
      assertThat(catalog.findAsyncSync(1).get(5, TimeUnit.SECONDS)).isEqualTo("one");
      assertThat(catalog.findAsyncSync(1).get(5, TimeUnit.SECONDS)).isEqualTo("one");
      assertThat(catalog.findAsync(2).get(5, TimeUnit.SECONDS)).isEqualTo("two");
      assertThat(catalog.findAsync(2).get(5, TimeUnit.SECONDS)).isEqualTo("two");
      assertThat(source.reads).hasValue(2);
    });
  }

  @Test
  void reactorTypes_areCached() {
    runner.run(ctx -> {
      Catalog catalog = ctx.getBean(Catalog.class);
      Source source = ctx.getBean(Source.class);
      source.rows.put(1L, "one");
      assertThat(catalog.findMono(1).block(Duration.ofSeconds(5))).isEqualTo("one");
      assertThat(catalog.findMono(1).block(Duration.ofSeconds(5))).isEqualTo("one");
      assertThat(catalog.findFlux(1).collectList().block(Duration.ofSeconds(5))).isEqualTo(List.of("one", "tail"));
      assertThat(catalog.findFlux(1).collectList().block(Duration.ofSeconds(5))).isEqualTo(List.of("one", "tail"));
      assertThat(source.reads).hasValue(2);
    });
  }

  @Configuration(proxyBeanMethods = false)
  static class OnlyEvenIds {
    @Bean
    LaminaCacheCustomizer evenIds() {
      return cache -> cache.keyFilter(new KeyFilter() {
        @Override
        public boolean mightContain(String id) {
          return Long.parseLong(id.substring("l:".length())) % 2 == 0; // ids carry the key's type
        }

        @Override
        public void add(String id) {}

        @Override
        public void rebuild(Iterable<String> ids) {}

        @Override
        public String name() {
          return "even-ids";
        }
      });
    }
  }

  @Test
  void keyFilterFromACustomizer_keepsImpossibleKeysFromTheMethod() {
    runner.withUserConfiguration(OnlyEvenIds.class).run(ctx -> {
      Catalog catalog = ctx.getBean(Catalog.class);
      Source source = ctx.getBean(Source.class);
      source.rows.put(2L, "two");
      assertThat(catalog.findSync(3)).isNull();
      assertThat(catalog.findSync(2)).isEqualTo("two");
      assertThat(source.reads).as("id 3 never reached the source").hasValue(1);
    });
  }

  @Test
  void cacheableSync_runsTheMethodInTheCallersTransaction() {
    runner.run(ctx -> {
      Catalog catalog = ctx.getBean(Catalog.class);
      TransactionTemplate tx = new TransactionTemplate(ctx.getBean(PlatformTransactionManager.class));
      Boolean seen = tx.execute(status -> catalog.seesTransaction(1));
      assertThat(seen).isTrue();
    });
    runner.withPropertyValues("lamina.caches.tx.protection.load-on-caller-thread=false").run(ctx -> {
      Catalog catalog = ctx.getBean(Catalog.class);
      TransactionTemplate tx = new TransactionTemplate(ctx.getBean(PlatformTransactionManager.class));
      Boolean seen = tx.execute(status -> catalog.seesTransaction(1));
      assertThat(seen).as("on the cache's executor").isFalse();
    });
  }

  @Test
  void evictionInsideATransaction_happensAfterCommit_andNotOnRollback() {
    runner.run(ctx -> {
      Catalog catalog = ctx.getBean(Catalog.class);
      Source source = ctx.getBean(Source.class);
      LaminaCaches caches = ctx.getBean(LaminaCaches.class);
      TransactionTemplate tx = new TransactionTemplate(ctx.getBean(PlatformTransactionManager.class));
      source.rows.put(1L, "one");
      catalog.find(1);

      tx.executeWithoutResult(status -> {
        catalog.delete(1);
        assertThat(caches.get("products").getIfPresent("l:1")).as("not before commit").isEqualTo("one");
      });
      assertThat(caches.get("products").getIfPresent("l:1")).as("after commit").isNull();

      source.rows.put(1L, "one");
      catalog.find(1);
      tx.executeWithoutResult(status -> {
        catalog.delete(1);
        status.setRollbackOnly();
      });
      assertThat(caches.get("products").getIfPresent("l:1")).as("rolled back: kept").isEqualTo("one");
    });
  }
}
