package io.lamina.spring.autoconfigure;

import io.lamina.InvalidSettingException;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.BeansException;
import org.springframework.beans.factory.BeanCreationException;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.diagnostics.FailureAnalyzer;

/**
 * Turns Lamina's start-up failures to connect, and its refusals of settings that do not fit together (such as no
 * Redis without {@code lamina.local-only=true}), into Boot's "APPLICATION FAILED TO START" report: a description
 * (the failure as Lamina worded it, secrets redacted) and an action naming the properties to change, instead of a
 * stack trace. A bad {@code lamina.*} value is an {@link InvalidConfigurationPropertyValueException}, which Boot's own
 * analyzer already reports under the property's name and origin; this one leaves those to it. A value Lamina
 * refused that no property gave (an {@link InvalidSettingException} from code, such as a
 * {@code LaminaCacheCustomizer}) is reported with its setting and value.
 */
final class LaminaFailureAnalyzer implements FailureAnalyzer {

  /** The beans that open a connection at start-up, and what to do when one cannot. */
  private static final Map<String, String> ACTIONS = Map.of(
      "laminaRedissonClient", "Start Redis, or correct lamina.redis.address (or lamina.redis.config). To let the"
          + " application start without Redis, set lamina.redis.required=false: caches then follow"
          + " remote-failure-mode until Redis answers. To keep caches local to each instance, remove the Redis"
          + " settings and set lamina.local-only=true.",
      "laminaNatsConnection", "Start NATS, or correct lamina.bus.nats.url and its credentials (lamina.bus.nats.token,"
          + " username/password, credentials-file or nkey-seed-file). To let the application start without NATS, set"
          + " lamina.bus.nats.required=false: it then connects in the background, and caches read from L2 until it"
          + " does. Or carry invalidations another way: lamina.bus.type=redis (Redis Pub/Sub on L2's connection) or"
          + " none.");

  @Override
  public @Nullable FailureAnalysis analyze(Throwable failure) {
    BeanCreationException connection = null;
    InvalidSettingException refused = null;
    int depth = 0;
    for (Throwable t = failure; t != null && depth < 50; t = t.getCause(), depth++) {
      if (t instanceof InvalidConfigurationPropertyValueException) {
        return null;
      }
      if (t instanceof LaminaStartupException refusal) {
        return new FailureAnalysis("Lamina could not start: " + refusal.getMessage() + ".", refusal.action(),
            failure);
      }
      if (t instanceof BeanCreationException creation && ACTIONS.containsKey(creation.getBeanName())) {
        connection = creation;
      }
      if (t instanceof InvalidSettingException setting) {
        refused = setting;
      }
    }
    if (refused != null) {
      return refused(refused, failure);
    }
    if (connection == null) {
      return null;
    }
    Throwable reason = connection.getCause();
    while (reason instanceof BeansException && reason.getCause() != null) {
      reason = reason.getCause();
    }
    String description = reason == null || reason.getMessage() == null ? connection.getMessage()
        : reason.getMessage();
    return new FailureAnalysis("Lamina could not start: " + description, ACTIONS.get(connection.getBeanName()),
        failure);
  }

  private static FailureAnalysis refused(InvalidSettingException e, Throwable failure) {
    String property = PropertyNames.global(e.setting());
    return new FailureAnalysis("Lamina refused the value " + e.value() + " of "
        + e.setting() + ": it " + e.requirement(setting -> setting) + ".", "Correct the value the application"
        + " gives " + e.setting() + " in code (a LaminaCacheCustomizer, or a bean of Lamina's configuration types)"
        + (property != null ? ", or set " + property + " instead" : "") + ".", failure);
  }
}
