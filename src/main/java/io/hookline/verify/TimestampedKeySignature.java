package io.hookline.verify;

import java.nio.charset.StandardCharsets;

/**
 * The check Discord (Ed25519, hex) and SendGrid (ECDSA P-256, base64 DER) share: a signature
 * header over {@code timestamp || body}, the timestamp in its own header (unix seconds), verified
 * with any active public key of the source, then held to the source's tolerance.
 */
final class TimestampedKeySignature {
  /** Decodes the signature header's value; null when it is malformed. */
  @FunctionalInterface
  interface Decoder {
    byte[] decode(String value, int from, int to);
  }

  private final String signatureHeader;
  private final String timestampHeader;
  private final Decoder decoder;
  private final VerifyingKey[] keys;
  private final long toleranceMillis;
  private final Verification missing;
  private final Verification malformed;
  private final Verification badTimestamp;
  private final Verification noMatch;
  private final Verification stale;

  /** {@code malformedMessage} says what the signature header should hold. */
  TimestampedKeySignature(String signatureHeader, String timestampHeader, Decoder decoder, String malformedMessage,
                          VerifyingKey[] keys, long toleranceMillis) {
    this.signatureHeader = signatureHeader;
    this.timestampHeader = timestampHeader;
    this.decoder = decoder;
    this.keys = keys;
    this.toleranceMillis = toleranceMillis;
    this.missing = Verification.rejected(Reason.MISSING_SIGNATURE,
        signatureHeader + " or " + timestampHeader + " header is missing");
    this.malformed = Verification.rejected(Reason.MALFORMED_SIGNATURE, malformedMessage);
    this.badTimestamp = Verification.rejected(Reason.MALFORMED_SIGNATURE, timestampHeader + " is not unix seconds");
    this.noMatch = Verification.rejected(Reason.INVALID_SIGNATURE,
        signatureHeader + " does not verify with any active public key of this source");
    this.stale = Verification.rejected(Reason.TIMESTAMP_OUT_OF_TOLERANCE, timestampHeader + " is outside the tolerance window");
  }

  /** Null when the request is signed by one of the keys within the tolerance; else the rejection. */
  Verification check(WebhookRequest request) {
    HeaderRead signature = HeaderRead.required(request, signatureHeader, missing);
    if (signature.problem() != null) {
      return signature.problem();
    }
    HeaderRead timestamp = HeaderRead.required(request, timestampHeader, missing);
    if (timestamp.problem() != null) {
      return timestamp.problem();
    }
    byte[] provided = decoder.decode(signature.value(), signature.from(), signature.to());
    if (provided == null) {
      return malformed;
    }
    String ts = timestamp.value().substring(timestamp.from(), timestamp.to());
    long seconds = Timestamps.parseSeconds(ts);
    if (seconds < 0) {
      return badTimestamp;
    }
    long now = request.receivedAtMillis();
    if (!VerifyingKey.any(keys, now, provided, ts.getBytes(StandardCharsets.US_ASCII), request.body())) {
      return noMatch;
    }
    return Timestamps.within(seconds, now, toleranceMillis) ? null : stale;
  }
}
