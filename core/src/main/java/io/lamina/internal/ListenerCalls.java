package io.lamina.internal;

import java.util.logging.Level;
import java.util.logging.Logger;

/** Calls into user code that must not break the cache: a listener that throws is logged and ignored. */
final class ListenerCalls {

  private static final Logger LOG = Logger.getLogger(ListenerCalls.class.getName());

  private ListenerCalls() {}

  static void safely(String cacheName, Runnable listenerCall) {
    try {
      listenerCall.run();
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, "cache '" + cacheName + "': listener threw; ignored", e);
    }
  }
}
