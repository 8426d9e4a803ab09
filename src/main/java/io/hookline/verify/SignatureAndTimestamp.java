package io.hookline.verify;

/**
 * The two headers HubSpot, Zoom and Twitch verifiers start with: the signature and the timestamp
 * it covers, both required (read under {@link HeaderRead}'s rules), either missing answered with
 * the scheme's one {@code missing} rejection.
 *
 * @param signature the signature header (usable when {@link #problem} is null)
 * @param timestamp the timestamp header (usable when {@link #problem} is null)
 * @param problem the rejection to return, or null
 */
record SignatureAndTimestamp(HeaderRead signature, HeaderRead timestamp, Verification problem) {
  static SignatureAndTimestamp read(WebhookRequest request, String signatureHeader, String timestampHeader,
                                    Verification missing) {
    HeaderRead signature = HeaderRead.required(request, signatureHeader, missing);
    if (signature.problem() != null) {
      return new SignatureAndTimestamp(null, null, signature.problem());
    }
    HeaderRead timestamp = HeaderRead.required(request, timestampHeader, missing);
    if (timestamp.problem() != null) {
      return new SignatureAndTimestamp(null, null, timestamp.problem());
    }
    return new SignatureAndTimestamp(signature, timestamp, null);
  }

  /** The timestamp header's value without surrounding spaces and tabs. */
  String timestampText() {
    return timestamp.value().substring(timestamp.from(), timestamp.to());
  }
}
