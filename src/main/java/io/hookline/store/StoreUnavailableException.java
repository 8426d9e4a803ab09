package io.hookline.store;

/** The event is NOT committed: PostgreSQL failed, timed out, or the queue is full. */
public final class StoreUnavailableException extends RuntimeException {
  public StoreUnavailableException(String message, Throwable cause) {
    super(message, cause, false, false);
  }
}
