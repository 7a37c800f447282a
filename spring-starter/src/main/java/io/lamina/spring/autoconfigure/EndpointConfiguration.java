package io.lamina.spring.autoconfigure;

import io.lamina.spring.CacheKeyConverter;
import io.lamina.spring.LaminaCaches;
import io.lamina.spring.LaminaWarmups;
import io.lamina.spring.actuate.LaminaEndpoint;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The {@code lamina} Actuator endpoint, when Actuator is on the classpath and the endpoint is exposed. */
@Configuration(proxyBeanMethods = false)
@ConditionalOnClass(name = {"org.springframework.boot.actuate.endpoint.annotation.Endpoint",
    "org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint"})
class EndpointConfiguration {

  @Bean
  @ConditionalOnMissingBean
  @ConditionalOnAvailableEndpoint(LaminaEndpoint.class)
  LaminaEndpoint laminaEndpoint(LaminaCaches caches, CacheKeyConverter keys,
      ObjectProvider<LaminaWarmups> warmups, LaminaProperties properties) {
    return new LaminaEndpoint(caches, keys, warmups.getIfAvailable(), properties.getActuator().isShowHotKeyIds());
  }
}
