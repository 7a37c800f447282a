package io.lamina.spring.autoconfigure;

import io.lamina.spring.CacheKeyConverter;
import io.lamina.spring.LaminaCacheManager;
import io.lamina.spring.LaminaCacheResolver;
import io.lamina.spring.LaminaCaches;
import java.util.function.UnaryOperator;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.cache.Cache;
import org.springframework.cache.CacheManager;
import org.springframework.cache.annotation.CachingConfigurer;
import org.springframework.cache.annotation.AnnotationCacheOperationSource;
import org.springframework.cache.interceptor.CacheAspectSupport;
import org.springframework.cache.interceptor.CacheOperationSource;
import org.springframework.cache.interceptor.CacheResolver;
import org.springframework.cache.transaction.TransactionAwareCacheDecorator;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Role;
import org.springframework.util.ClassUtils;

/**
 * Lamina behind Spring's cache abstraction, when caching is enabled ({@code @EnableCaching}) and the application
 * has no {@code CacheManager} of its own: the same conditions Boot's cache auto-configuration uses.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnBean(CacheAspectSupport.class)
@ConditionalOnMissingBean(value = CacheManager.class, name = "cacheResolver")
class CacheManagerConfiguration {

  private static final Logger log = LoggerFactory.getLogger(CacheManagerConfiguration.class);

  @Bean
  LaminaCacheManager cacheManager(LaminaCaches caches, CacheFactory factory, CacheKeyConverter keys,
      LaminaProperties properties, ConfigurableListableBeanFactory beanFactory) {
    return new LaminaCacheManager(caches, factory::putMode, keys,
        decorator(properties, beanFactory.getBeanClassLoader()));
  }

  /**
   * Gives {@code @Cacheable} the fill view of each cache (see {@link LaminaCacheResolver}). Spring takes one
   * {@link CachingConfigurer}; an application that has its own keeps it, and is told what it misses.
   */
  @Bean
  @ConditionalOnMissingBean(CachingConfigurer.class)
  @Role(BeanDefinition.ROLE_INFRASTRUCTURE) // the caching advisor needs it before the post-processors exist
  static CachingConfigurer laminaCachingConfigurer(ObjectProvider<CacheManager> cacheManager) {
    return new CachingConfigurer() {
      @Override
      public CacheResolver cacheResolver() {
        return new LaminaCacheResolver(cacheManager.getObject());
      }
    };
  }

  @Bean
  static SmartInitializingSingleton laminaCachingConfigurerCheck(ObjectProvider<CachingConfigurer> configurers) {
    return () -> configurers.orderedStream().forEach(c -> {
      CacheResolver resolver = c.cacheResolver();
      if (!(resolver instanceof LaminaCacheResolver)) {
        log.warn("Lamina: the application's CachingConfigurer {} does not return a LaminaCacheResolver, so a"
            + " @Cacheable without sync = true cannot tell its fill from a write: return"
            + " new LaminaCacheResolver(cacheManager) from cacheResolver(), or use @Cacheable(sync = true)", c);
      }
    });
  }

  /**
   * Fails start-up when a {@code @Cacheable} or {@code @CachePut} method returns a class its cache's Fory codec
   * could not encode (see {@link ValueTypesCheck}); runs once every singleton exists, so every bean is seen.
   */
  @Bean
  static SmartInitializingSingleton laminaValueTypesCheck(ConfigurableListableBeanFactory beanFactory,
      ObjectProvider<CacheOperationSource> operations, ObjectProvider<LaminaCaches> caches,
      ObjectProvider<CacheFactory> factory) {
    return () -> new ValueTypesCheck(beanFactory, operations.getIfUnique(AnnotationCacheOperationSource::new),
        caches.getObject(), factory.getObject()).check();
  }

  private static UnaryOperator<Cache> decorator(LaminaProperties properties, @Nullable ClassLoader loader) {
    if (properties.isTransactionAware()
        && ClassUtils.isPresent("org.springframework.transaction.support.TransactionSynchronizationManager", loader)
        && ClassUtils.isPresent("org.springframework.cache.transaction.TransactionAwareCacheDecorator", loader)) {
      return TransactionAware::decorate;
    }
    return UnaryOperator.identity();
  }

  /** Keeps spring-tx types out of the outer class, so it loads without them. */
  private static final class TransactionAware {
    static Cache decorate(Cache cache) {
      return new TransactionAwareCacheDecorator(cache);
    }
  }
}
