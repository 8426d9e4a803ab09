package io.hookline.verify;

import java.util.List;

/**
 * Shopify: {@code X-Shopify-Hmac-Sha256: <base64 HMAC-SHA256 of the body>} with the app's client
 * secret. No signed timestamp; {@code X-Shopify-Webhook-Id} (stable across Shopify's retries) is
 * the event id and {@code X-Shopify-Topic} the type.
 */
public final class ShopifySignatureVerifier implements SignatureVerifier {
  static final String HEADER = "X-Shopify-Hmac-Sha256";
  static final String ID_HEADER = "X-Shopify-Webhook-Id";
  static final String TOPIC_HEADER = "X-Shopify-Topic";
  private static final int SHA256_BYTES = 32;

  private static final Verification MISSING =
      Verification.rejected(Reason.MISSING_SIGNATURE, "X-Shopify-Hmac-Sha256 header is missing");
  private static final Verification MALFORMED = Verification.rejected(Reason.MALFORMED_SIGNATURE,
      "X-Shopify-Hmac-Sha256 header is not the base64 of a 32-byte HMAC");
  private static final Verification NO_MATCH = Verification.rejected(Reason.INVALID_SIGNATURE,
      "X-Shopify-Hmac-Sha256 does not match any active secret for this source");

  private final HmacKey[] keys;

  /** The registry's factory: the secrets used as-is; no options. */
  public static SignatureVerifier create(ProviderSetup setup) {
    setup.options().allowOnly();
    return new ShopifySignatureVerifier(setup.rawHmacKeys("HmacSHA256"));
  }

  ShopifySignatureVerifier(List<HmacKey> keys) {
    this.keys = keys.toArray(new HmacKey[0]);
  }

  @Override
  public Verification verify(WebhookRequest request) {
    HeaderRead header = HeaderRead.required(request, HEADER, MISSING);
    if (header.problem() != null) {
      return header.problem();
    }
    String value = header.value();
    byte[] provided = Codecs.base64(value, header.from(), header.to());
    if (provided == null || provided.length != SHA256_BYTES) {
      return MALFORMED;
    }
    byte[] body = request.body();
    if (!KeyMatch.any(keys, request.receivedAtMillis(), mac -> mac.update(body), provided)) {
      return NO_MATCH;
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
}
