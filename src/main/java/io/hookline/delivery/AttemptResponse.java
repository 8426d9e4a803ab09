package io.hookline.delivery;

/**
 * What came back from one attempt, whatever the destination's kind: an HTTP status (with a
 * Retry-After header and some body), a broker's durable acknowledgement, or an error.
 */
record AttemptResponse(int statusCode, String retryAfter, String bodySnippet, String error, boolean acknowledged) {
  static final String TRANSFORM_FAILED = "transform_failed";
  private static final AttemptResponse ACKNOWLEDGED = new AttemptResponse(0, null, null, null, true);

  /** An HTTP answer. */
  AttemptResponse(int statusCode, String retryAfter, String bodySnippet, String error) {
    this(statusCode, retryAfter, bodySnippet, error, false);
  }

  /** The destination answered with a status. */
  boolean answered() {
    return statusCode > 0;
  }

  static AttemptResponse failed(String error) {
    return new AttemptResponse(0, null, null, error, false);
  }

  /** The transform (or a broker key expression) failed on this event: nothing was sent, and retrying cannot help. */
  static AttemptResponse transformFailed(String error) {
    return failed(TRANSFORM_FAILED + ": " + error);
  }

  boolean transformFailed() {
    return statusCode == 0 && !acknowledged && error != null && error.startsWith(TRANSFORM_FAILED + ": ");
  }

  /** A broker acknowledged the message durably: delivered. */
  static AttemptResponse durablyAcknowledged() {
    return ACKNOWLEDGED;
  }
}
