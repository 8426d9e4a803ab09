package io.hookline.verify;

import java.util.List;

/**
 * Shopify: {@code X-Shopify-Hmac-Sha256: <base64 HMAC-SHA256 of the body>} with the app's client
 * secret. No signed timestamp; {@code X-Shopify-Webhook-Id} (stable across Shopify's retries) is
 * the event id and {@code X-Shopify-Topic} the type.
 *
 * <p>Since 2025 Shopify also sends un-prefixed headers ({@code shopify-hmac-sha256},
 * {@code shopify-topic}, {@code shopify-webhook-id}) and an event id ({@code shopify-event-id} /
 * {@code X-Shopify-Event-Id}) that stays the same when one event reaches a shop through several
 * subscriptions: each header is read under either spelling (the prefixed one first), and the event
 * id, when present, is the dedup key, else the webhook id.
 */
public final class ShopifySignatureVerifier implements SignatureVerifier {
  static final String HEADER = "X-Shopify-Hmac-Sha256";
  static final String ID_HEADER = "X-Shopify-Webhook-Id";
  static final String TOPIC_HEADER = "X-Shopify-Topic";
  static final String EVENT_ID_HEADER = "X-Shopify-Event-Id";
  static final String UNPREFIXED_HEADER = "shopify-hmac-sha256";
  static final String UNPREFIXED_ID_HEADER = "shopify-webhook-id";
  static final String UNPREFIXED_TOPIC_HEADER = "shopify-topic";
  static final String UNPREFIXED_EVENT_ID_HEADER = "shopify-event-id";
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
    HeaderRead header = HeaderRead.required(request, either(request, HEADER, UNPREFIXED_HEADER), MISSING);
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
    HeaderRead id = HeaderRead.eventId(request, either(request, EVENT_ID_HEADER, UNPREFIXED_EVENT_ID_HEADER));
    if (id.problem() != null) {
      return id.problem();
    }
    if (id.absent()) {
      id = HeaderRead.eventId(request, either(request, ID_HEADER, UNPREFIXED_ID_HEADER));
      if (id.problem() != null) {
        return id.problem();
      }
    }
    HeaderRead topic = HeaderRead.of(request, either(request, TOPIC_HEADER, UNPREFIXED_TOPIC_HEADER));
    if (topic.problem() != null) {
      return topic.problem();
    }
    return EventIds.accept(id.value(), topic.value());
  }

  /** The prefixed name when the request has it, else the un-prefixed one. */
  private static String either(WebhookRequest request, String prefixed, String unprefixed) {
    return request.header(prefixed) == null ? unprefixed : prefixed;
  }
}
