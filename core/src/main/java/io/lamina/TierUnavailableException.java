package io.lamina;

/** A tier could not be reached within its timeout, or failed. The message names the cache, tier and operation. */
public class TierUnavailableException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  public TierUnavailableException(String message) {
    super(message);
  }

  public TierUnavailableException(String message, Throwable cause) {
    super(message, cause);
  }
}
