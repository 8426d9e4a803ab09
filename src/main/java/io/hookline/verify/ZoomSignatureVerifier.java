package io.hookline.verify;

import java.util.HexFormat;

/**
 * Zoom: {@code x-zm-signature: v0=<hex HMAC-SHA256>} over {@code v0:<x-zm-request-timestamp>:<body>}
 * with the app's secret token, within the source's tolerance. An {@code endpoint.url_validation}
 * event (itself signed) is answered {@code {"plainToken":…,"encryptedToken":<hex HMAC-SHA256 of
 * plainToken>}} with the secret that verified it, and not stored. Zoom sends no event id: the id is
 * the SHA-256 of the body's {@code event} and {@code event_ts}; the type is {@code event}.
 */
public final class ZoomSignatureVerifier implements SignatureVerifier {
  static final String SIGNATURE_HEADER = "x-zm-signature";
  static final String TIMESTAMP_HEADER = "x-zm-request-timestamp";
  private static final JsonFields FIELDS = JsonFields.of("/event", "/event_ts");
  /** Read only for an {@code endpoint.url_validation} event, so other events' payloads are not walked for it. */
  private static final JsonFields PLAIN_TOKEN = JsonFields.of("/payload/plainToken");

  private static final Verification MISSING = Verification.rejected(Reason.MISSING_SIGNATURE,
      "x-zm-signature or x-zm-request-timestamp header is missing");
  private static final Verification MALFORMED = Verification.rejected(Reason.MALFORMED_SIGNATURE,
      "x-zm-signature is not v0=<64 hex characters>");
  private static final Verification BAD_TIMESTAMP = Verification.rejected(Reason.MALFORMED_SIGNATURE,
      "x-zm-request-timestamp is not unix seconds");
  private static final Verification NO_MATCH = Verification.rejected(Reason.INVALID_SIGNATURE,
      "x-zm-signature does not match any active secret token of this source");
  private static final Verification STALE = Verification.rejected(Reason.TIMESTAMP_OUT_OF_TOLERANCE,
      "x-zm-request-timestamp is outside the tolerance window");
  private static final Verification NO_PLAIN_TOKEN = Verification.rejected(Reason.MALFORMED_SIGNATURE,
      "endpoint.url_validation without a usable payload.plainToken (1 to 1024 printable ASCII characters without markup or quotes)");

  private final HmacKey[] keys;
  private final long toleranceMillis;

  ZoomSignatureVerifier(HmacKey[] keys, long toleranceMillis) {
    this.keys = keys;
    this.toleranceMillis = toleranceMillis;
  }

  @Override
  public Verification verify(WebhookRequest request) {
    SignatureAndTimestamp headers = SignatureAndTimestamp.read(request, SIGNATURE_HEADER, TIMESTAMP_HEADER, MISSING);
    if (headers.problem() != null) {
      return headers.problem();
    }
    HeaderRead signature = headers.signature();
    byte[] provided = SchemeParts.prefixedHex(signature.value(), signature.from(), signature.to(), "v0=", 32);
    if (provided == null) {
      return MALFORMED;
    }
    String ts = headers.timestampText();
    long seconds = Timestamps.parseSeconds(ts);
    if (seconds < 0) {
      return BAD_TIMESTAMP;
    }
    byte[] prefix = Text.signedPrefix("v0", ':', ts, ':');
    byte[] body = request.body();
    long now = request.receivedAtMillis();
    HmacKey key = SchemeParts.matching(keys, now, mac -> {
      mac.update(prefix);
      mac.update(body);
    }, provided);
    if (key == null) {
      return NO_MATCH;
    }
    if (!Timestamps.within(seconds, now, toleranceMillis)) {
      return STALE;
    }
    String[] fields = FIELDS.read(body);
    if ("endpoint.url_validation".equals(fields[0])) {
      String plainToken = PLAIN_TOKEN.readOne(body);
      if (!SchemeParts.echoable(plainToken)) {
        return NO_PLAIN_TOKEN;
      }
      String encrypted = HexFormat.of().formatHex(SchemeParts.hmac(key, SchemeParts.utf8(plainToken)));
      String answer = "{\"plainToken\":" + SchemeParts.jsonString(plainToken)
          + ",\"encryptedToken\":\"" + encrypted + "\"}";
      return Verification.handshake(SchemeParts.utf8(answer), "application/json");
    }
    String id = fields[0] == null ? null
        : "zoom:" + EventIds.sha256Hex(SchemeParts.utf8(fields[0] + "\n" + (fields[1] == null ? "" : fields[1])));
    return EventIds.accept(id, fields[0]);
  }
}
