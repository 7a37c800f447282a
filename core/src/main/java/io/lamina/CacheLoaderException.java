package io.lamina;

/** Wraps a checked exception thrown by a {@link CacheLoader}, {@link BulkLoader} or {@link CacheWriter}. */
public class CacheLoaderException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  public CacheLoaderException(String message, Throwable cause) {
    super(message, cause);
  }
}
