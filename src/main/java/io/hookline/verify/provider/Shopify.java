package io.hookline.verify.provider;

import static io.hookline.verify.Signatures.base64;
import static io.hookline.verify.Signatures.hmacSha256;

import io.hookline.verify.Provider;
import io.hookline.verify.ShopifySignatureVerifier;
import io.hookline.verify.SignedEvent;
import java.util.LinkedHashMap;
import java.util.Map;

/** Shopify: {@code X-Shopify-Hmac-Sha256: <base64>} over the body. */
public final class Shopify {
  public static final Provider PROVIDER = Provider.named("shopify")
      .docs("https://shopify.dev/docs/apps/build/webhooks/subscribe/https#step-5-verify-the-webhook")
      .scheme("`X-Shopify-Hmac-Sha256` (or un-prefixed `shopify-hmac-sha256`): base64 HMAC-SHA256 of the body")
      .secret("app client secret")
      .eventId("`shopify-event-id` / `X-Shopify-Event-Id` when sent, else `X-Shopify-Webhook-Id` (either spelling)")
      .eventType("`X-Shopify-Topic` / `shopify-topic`")
      .verifier(ShopifySignatureVerifier::create)
      .signer(in -> {
        Map<String, String> h = new LinkedHashMap<>();
        h.put("X-Shopify-Hmac-Sha256", base64(hmacSha256(in.secret(), in.body())));
        h.put("X-Shopify-Webhook-Id", in.eventId());
        h.put("X-Shopify-Topic", "orders/create");
        return SignedEvent.json(h, in.body());
      })
      .build();

  private Shopify() {}
}
