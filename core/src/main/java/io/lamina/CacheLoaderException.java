package io.lamina;

/**
 * A load failed: a checked exception thrown by a {@link CacheLoader}, {@link BulkLoader} or {@link CacheWriter}
 * (the cause), or a load the cache's protection did not make or abandoned (timeout, open breaker, full bulkhead).
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
