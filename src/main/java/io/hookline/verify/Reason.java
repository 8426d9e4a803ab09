package io.hookline.verify;

/** Why a request was refused by verification; {@link #code()} is the SPEC's machine-readable reason. */
public enum Reason {
  MISSING_SIGNATURE("missing_signature", 400),
  MALFORMED_SIGNATURE("malformed_signature", 400),
  INVALID_SIGNATURE("invalid_signature", 401),
  TIMESTAMP_OUT_OF_TOLERANCE("timestamp_out_of_tolerance", 401),
  /** Verified, but the provider's event id has control characters: unusable as a dedup key. */
  MALFORMED_EVENT_ID("malformed_event_id", 400);

  private final String code;
  private final int status;

  Reason(String code, int status) {
    this.code = code;
    this.status = status;
  }

  public String code() {
    return code;
  }

  public int status() {
    return status;
  }
}
