package io.lamina.spring.autoconfigure;

/**
 * A start-up Lamina refuses because of how settings combine (one is missing, or two contradict each other), with
 * what to do about it. {@link LaminaFailureAnalyzer} reports the message as the description and {@link #action()}
 * as the action. A bad value of a single property is an {@code InvalidConfigurationPropertyValueException} instead.
 */
final class LaminaStartupException extends IllegalStateException {

  private static final long serialVersionUID = 1L;

  private final String action;

  LaminaStartupException(String description, String action) {
    super(description);
    this.action = action;
  }

  /** What to change, naming the properties. */
  String action() {
    return action;
  }
}
