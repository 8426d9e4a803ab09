package io.hookline.verify.provider;

import static io.hookline.verify.Signatures.base64;
import static io.hookline.verify.Signatures.hmacSha256;

import io.hookline.verify.Provider;
import io.hookline.verify.SchemeFactories;
import io.hookline.verify.SignedEvent;
import java.util.LinkedHashMap;
import java.util.Map;

/** WooCommerce: base64 HMAC-SHA256 of the body; the unsigned creation ping answered. */
public final class WooCommerce {
  public static final Provider PROVIDER = Provider.named("woocommerce")
      .docs("https://woocommerce.github.io/woocommerce-rest-api-docs/#webhooks")
      .scheme("`X-WC-Webhook-Signature`: base64 HMAC-SHA256 of the body")
      .secret("webhook secret")
      .eventId("`X-WC-Webhook-Delivery-ID`")
      .eventType("`X-WC-Webhook-Topic`")
      .handshake("the unsigned `webhook_id=<n>` creation ping answered 200, not stored")
      .verifier(SchemeFactories::woocommerce)
      .signer(in -> {
        Map<String, String> h = new LinkedHashMap<>();
        h.put("X-WC-Webhook-Signature", base64(hmacSha256(in.secret(), in.body())));
        h.put("X-WC-Webhook-Delivery-ID", in.eventId());
        h.put("X-WC-Webhook-Topic", "order.created");
        return SignedEvent.json(h, in.body());
      })
      .build();

  private WooCommerce() {}
}
