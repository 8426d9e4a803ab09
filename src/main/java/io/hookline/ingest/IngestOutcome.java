package io.hookline.ingest;

/** The SPEC's {@code outcome} label of {@code hookline_requests_total}, plus provider handshakes. */
public enum IngestOutcome {
  ACCEPTED, DUPLICATE, INVALID_SIGNATURE, MALFORMED_SIGNATURE, MISSING_SIGNATURE,
  TIMESTAMP_OUT_OF_TOLERANCE, MALFORMED_EVENT_ID, UNKNOWN_SOURCE, BODY_TOO_LARGE, UNAVAILABLE, HANDSHAKE;

  private final String label = name().toLowerCase(java.util.Locale.ROOT);

  public String label() {
    return label;
  }
}
