package io.hookline.verify;

import java.nio.charset.StandardCharsets;

/**
 * Mailgun: the JSON body carries {@code signature: {timestamp, token, signature}}, the last being
 * the hex HMAC-SHA256 of timestamp + token with the HTTP webhook signing key; the timestamp must be
 * within the source's tolerance. The signature does not cover {@code event-data} (Mailgun's design):
 * what stops a replay is the token, which is the dedup key. Type is {@code event-data.event}.
 */
public final class MailgunSignatureVerifier implements SignatureVerifier {
  private static final JsonFields FIELDS = JsonFields.of(
      "/signature/timestamp", "/signature/token", "/signature/signature", "/event-data/event");

  private static final Verification MISSING = Verification.rejected(Reason.MISSING_SIGNATURE,
      "the body has no signature.timestamp, signature.token and signature.signature");
  private static final Verification MALFORMED = Verification.rejected(Reason.MALFORMED_SIGNATURE,
      "signature.signature is not 64 hex characters, or signature.timestamp is not unix seconds");
  private static final Verification NO_MATCH = Verification.rejected(Reason.INVALID_SIGNATURE,
      "signature.signature does not match any active signing key of this source");
  private static final Verification STALE = Verification.rejected(Reason.TIMESTAMP_OUT_OF_TOLERANCE,
      "signature.timestamp is outside the tolerance window");

  private final HmacKey[] keys;
  private final long toleranceMillis;

  MailgunSignatureVerifier(HmacKey[] keys, long toleranceMillis) {
    this.keys = keys;
    this.toleranceMillis = toleranceMillis;
  }

  @Override
  public Verification verify(WebhookRequest request) {
    String[] fields = FIELDS.read(request.body());
    String timestamp = fields[0];
    String token = fields[1];
    String signature = fields[2];
    if (timestamp == null || token == null || signature == null) {
      return MISSING;
    }
    byte[] provided = Codecs.hex(signature, 0, signature.length(), 32);
    long seconds = Timestamps.parseSeconds(timestamp);
    if (provided == null || seconds < 0) {
      return MALFORMED;
    }
    byte[] signed = (timestamp + token).getBytes(StandardCharsets.UTF_8);
    long now = request.receivedAtMillis();
    if (!KeyMatch.any(keys, now, mac -> mac.update(signed), provided)) {
      return NO_MATCH;
    }
    if (!Timestamps.within(seconds, now, toleranceMillis)) {
      return STALE;
    }
    return EventIds.accept(token, fields[3]);
  }
}
