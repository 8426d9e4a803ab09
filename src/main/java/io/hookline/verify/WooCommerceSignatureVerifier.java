package io.hookline.verify;

import java.nio.charset.StandardCharsets;

/**
 * WooCommerce: {@code X-WC-Webhook-Signature: <base64 HMAC-SHA256 of the body>} with the webhook's
 * secret; id {@code X-WC-Webhook-Delivery-ID}, type {@code X-WC-Webhook-Topic}. When a webhook is
 * created WooCommerce pings it with the unsigned form body {@code webhook_id=<digits>}: that exact
 * body (and no signature header) is answered 200 and not stored; it carries nothing to deliver.
 */
public final class WooCommerceSignatureVerifier implements SignatureVerifier {
  static final String HEADER = "X-WC-Webhook-Signature";
  static final String ID_HEADER = "X-WC-Webhook-Delivery-ID";
  static final String TOPIC_HEADER = "X-WC-Webhook-Topic";
  private static final byte[] PING_PREFIX = "webhook_id=".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] EMPTY = new byte[0];

  private final BodyHmacCheck check;

  WooCommerceSignatureVerifier(HmacKey[] keys) {
    this.check = new BodyHmacCheck(HEADER, "", true, keys);
  }

  @Override
  public Verification verify(WebhookRequest request) {
    if (request.headers(HEADER).isEmpty() && isPing(request.body())) {
      return Verification.handshake(EMPTY, "text/plain");
    }
    Verification problem = check.check(request);
    if (problem != null) {
      return problem;
    }
    HeaderRead id = HeaderRead.eventId(request, ID_HEADER);
    if (id.problem() != null) {
      return id.problem();
    }
    HeaderRead topic = HeaderRead.of(request, TOPIC_HEADER);
    if (topic.problem() != null) {
      return topic.problem();
    }
    return EventIds.accept(id.value(), topic.value());
  }

  /** Exactly {@code webhook_id=} and 1 to 20 digits. */
  static boolean isPing(byte[] body) {
    int digits = body.length - PING_PREFIX.length;
    if (digits < 1 || digits > 20) {
      return false;
    }
    for (int i = 0; i < PING_PREFIX.length; i++) {
      if (body[i] != PING_PREFIX[i]) {
        return false;
      }
    }
    for (int i = PING_PREFIX.length; i < body.length; i++) {
      if (body[i] < '0' || body[i] > '9') {
        return false;
      }
    }
    return true;
  }
}
