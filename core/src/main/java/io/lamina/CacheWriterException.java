package io.lamina;

/**
 * A {@link CacheWriter} failed with a checked exception (the cause) during a write-through or write-around
 * {@code put}: the source may or may not have changed, and the key was invalidated in both tiers. A writer's
 * unchecked exception reaches the caller as it was thrown.
 *
 * <p>A {@link CacheLoaderException}, as writer failures were reported before this type existed, so code that
 * catches that keeps working.
 */
public class CacheWriterException extends CacheLoaderException {

  private static final long serialVersionUID = 1L;

  public CacheWriterException(String message, Throwable cause) {
    super(message, cause);
  }
}
