package io.hookline.ingest;

/**
 * The SPEC's {@code outcome} label of {@code hookline_requests_total}, plus provider handshakes,
 * requests whose sender went away before the end of the body (nobody left to answer) and requests
 * that are not valid HTTP or whose path cannot be decoded, requests to no route or with the wrong
 * method, and 500 answers (a bug: an unexpected failure).
 */
public enum IngestOutcome {
  ACCEPTED, DUPLICATE, INVALID_SIGNATURE, MALFORMED_SIGNATURE, MISSING_SIGNATURE, MALFORMED_EVENT_ID,
  TIMESTAMP_OUT_OF_TOLERANCE, UNKNOWN_SOURCE, BODY_TOO_LARGE, UNAVAILABLE, HANDSHAKE, CLIENT_ABORTED, BAD_REQUEST,
  NOT_FOUND, METHOD_NOT_ALLOWED, INTERNAL_ERROR;

  private final String label = name().toLowerCase(java.util.Locale.ROOT);

  public String label() {
    return label;
  }
}
