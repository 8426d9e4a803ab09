package io.hookline.verify;

import java.nio.charset.StandardCharsets;

/**
 * HubSpot signature v3: {@code X-HubSpot-Signature-v3: <base64 HMAC-SHA256>} with the app's client
 * secret over method + URI + body + {@code X-HubSpot-Request-Timestamp} (epoch milliseconds), the
 * URI being the full URL HubSpot called with the characters HubSpot lists URL-decoded; HubSpot
 * rejects timestamps older than 5 minutes (the source's tolerance, both ways here). Webhooks are
 * POSTs. A delivery is an array of events: id and type are the first one's {@code eventId} and
 * {@code subscriptionType}.
 */
public final class HubSpotSignatureVerifier implements SignatureVerifier {
  static final String SIGNATURE_HEADER = "X-HubSpot-Signature-v3";
  static final String TIMESTAMP_HEADER = "X-HubSpot-Request-Timestamp";
  private static final JsonFields ID_AND_TYPE = JsonFields.of("/0/eventId", "/0/subscriptionType");
  private static final byte[] POST = "POST".getBytes(StandardCharsets.US_ASCII);
  /** The escapes HubSpot's validation docs say to decode in the URI before signing. */
  private static final String[][] DECODED = {
      {"%3A", ":"}, {"%2F", "/"}, {"%3F", "?"}, {"%40", "@"}, {"%21", "!"}, {"%24", "$"},
      {"%27", "'"}, {"%28", "("}, {"%29", ")"}, {"%2A", "*"}, {"%2C", ","}, {"%3B", ";"}};

  private static final Verification MISSING = Verification.rejected(Reason.MISSING_SIGNATURE,
      "X-HubSpot-Signature-v3 or X-HubSpot-Request-Timestamp header is missing");
  private static final Verification MALFORMED = Verification.rejected(Reason.MALFORMED_SIGNATURE,
      "X-HubSpot-Signature-v3 is not the base64 of a 32-byte HMAC");
  private static final Verification BAD_TIMESTAMP = Verification.rejected(Reason.MALFORMED_SIGNATURE,
      "X-HubSpot-Request-Timestamp is not epoch milliseconds");
  private static final Verification NO_MATCH = Verification.rejected(Reason.INVALID_SIGNATURE,
      "X-HubSpot-Signature-v3 does not match any active client secret of this source");
  private static final Verification STALE = Verification.rejected(Reason.TIMESTAMP_OUT_OF_TOLERANCE,
      "X-HubSpot-Request-Timestamp is outside the tolerance window");

  private final HmacKey[] keys;
  private final long toleranceMillis;

  HubSpotSignatureVerifier(HmacKey[] keys, long toleranceMillis) {
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
    byte[] provided = Codecs.base64(signature.value(), signature.from(), signature.to());
    if (provided == null || provided.length != 32) {
      return MALFORMED;
    }
    String ts = headers.timestampText();
    long millis = Timestamps.parseSeconds(ts);
    if (millis < 0) {
      return BAD_TIMESTAMP;
    }
    byte[] uri = signedUri(request.publicUrl()).getBytes(StandardCharsets.UTF_8);
    byte[] tsBytes = ts.getBytes(StandardCharsets.US_ASCII);
    byte[] body = request.body();
    long now = request.receivedAtMillis();
    if (!KeyMatch.any(keys, now, mac -> {
      mac.update(POST);
      mac.update(uri);
      mac.update(body);
      mac.update(tsBytes);
    }, provided)) {
      return NO_MATCH;
    }
    long diff = millis - now;
    if (diff > toleranceMillis || diff < -toleranceMillis) {
      return STALE;
    }
    String[] idAndType = ID_AND_TYPE.read(body);
    return EventIds.accept(idAndType[0], idAndType[1]);
  }

  static String signedUri(String url) {
    if (url == null || url.indexOf('%') < 0) {
      return url == null ? "" : url;
    }
    String out = url;
    for (String[] pair : DECODED) {
      out = out.replace(pair[0], pair[1]).replace(pair[0].toLowerCase(java.util.Locale.ROOT), pair[1]);
    }
    return out;
  }
}
