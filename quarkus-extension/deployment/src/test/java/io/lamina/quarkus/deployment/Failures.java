package io.lamina.quarkus.deployment;

/** The messages of a start-up failure, cause by cause, each as {@code Class: message}. */
final class Failures {

  private Failures() {}

  static String chain(Throwable t) {
    StringBuilder messages = new StringBuilder();
    for (Throwable cause = t; cause != null; cause = cause.getCause()) {
      messages.append(cause.getClass().getName()).append(": ").append(cause.getMessage()).append('\n');
    }
    return messages.toString();
  }
}
