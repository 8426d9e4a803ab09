package io.hookline.ingest;


/**
 * A refused webhook request, carried through {@code ctx.fail} to {@link ErrorRenderer}. The message
 * is shown to the sender, so it never contains secrets, signatures or body content.
 */
public final class IngestFailure extends RuntimeException {
  private final int status;
  private final IngestOutcome outcome;
  private final boolean closeConnection;

  public IngestFailure(int status, IngestOutcome outcome, String message, boolean closeConnection) {
    super(message, null, false, false);
    this.status = status;
    this.outcome = outcome;
    this.closeConnection = closeConnection;
  }

  public int status() {
    return status;
  }

  public IngestOutcome outcome() {
    return outcome;
  }

  /** The body was not (fully) read, so the connection cannot be reused. */
  public boolean closeConnection() {
    return closeConnection;
  }
}
