package io.lamina;

/**
 * A load failed: a checked exception thrown by a {@link CacheLoader} or {@link BulkLoader} (the cause), or a load
 * the cache's protection did not make or abandoned (timeout, open breaker, full bulkhead). A {@link CacheWriter}'s
 * checked exception is its subclass {@link CacheWriterException}.
 */
public class CacheLoaderException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  public CacheLoaderException(String message) {
    super(message);
  }

  public CacheLoaderException(String message, Throwable cause) {
    super(message, cause);
  }
}
