package io.lamina;

/**
 * A write-behind {@code put} found the queue full. The write was not accepted: nothing was queued and the cache
 * is unchanged, so the caller may retry, write to the source itself, or fail its own request.
 */
public class WriteBehindQueueFullException extends IllegalStateException {

  private static final long serialVersionUID = 1L;

  public WriteBehindQueueFullException(String message) {
    super(message);
  }
}
