package io.hookline.verify;

import java.nio.charset.StandardCharsets;

/**
 * Square: {@code x-square-hmacsha256-signature: <base64 HMAC-SHA256>} with the subscription's
 * signature key over the notification URL (exactly as registered with Square: the {@code
 * notificationUrl} option, else the URL this request arrived at) followed by the body. No signed
 * timestamp. Id is the body's {@code event_id}, type its {@code type}.
 */
public final class SquareSignatureVerifier implements SignatureVerifier {
  static final String HEADER = "x-square-hmacsha256-signature";
  private static final JsonFields ID_AND_TYPE = JsonFields.of("/event_id", "/type");

  private static final Verification MISSING = Verification.rejected(Reason.MISSING_SIGNATURE,
      "x-square-hmacsha256-signature header is missing");
  private static final Verification MALFORMED = Verification.rejected(Reason.MALFORMED_SIGNATURE,
      "x-square-hmacsha256-signature is not the base64 of a 32-byte HMAC");
  private static final Verification NO_MATCH = Verification.rejected(Reason.INVALID_SIGNATURE,
      "x-square-hmacsha256-signature does not match any active signature key for this source and notification URL");

  private final HmacKey[] keys;
  private final byte[] notificationUrl;

  /** @param notificationUrl the registered URL, or null to use the URL each request arrived at */
  SquareSignatureVerifier(HmacKey[] keys, String notificationUrl) {
    this.keys = keys;
    this.notificationUrl = notificationUrl == null ? null : notificationUrl.getBytes(StandardCharsets.UTF_8);
  }

  @Override
  public Verification verify(WebhookRequest request) {
    HeaderRead signature = HeaderRead.required(request, HEADER, MISSING);
    if (signature.problem() != null) {
      return signature.problem();
    }
    byte[] provided = Codecs.base64(signature.value(), signature.from(), signature.to());
    if (provided == null || provided.length != 32) {
      return MALFORMED;
    }
    byte[] url = notificationUrl != null ? notificationUrl
        : (request.publicUrl() == null ? "" : request.publicUrl()).getBytes(StandardCharsets.UTF_8);
    byte[] body = request.body();
    if (!KeyMatch.any(keys, request.receivedAtMillis(), mac -> {
      mac.update(url);
      mac.update(body);
    }, provided)) {
      return NO_MATCH;
    }
    String[] idAndType = ID_AND_TYPE.read(body);
    return EventIds.accept(idAndType[0], idAndType[1]);
  }
}
