package io.lamina.codec;

import java.io.Serializable;
import java.util.concurrent.atomic.AtomicBoolean;

/** A class that records being initialised or instantiated: a codec must never do either from untrusted bytes. */
public final class Tripwire implements Serializable {
  private static final long serialVersionUID = 1L;
  public static final AtomicBoolean TOUCHED = new AtomicBoolean();

  public String payload = "x";

  public Tripwire() {
    TOUCHED.set(true);
  }
}
