package io.hookline.verify.provider;

import static io.hookline.verify.Signatures.hex;
import static io.hookline.verify.Signatures.hmacSha256;

import io.hookline.verify.EventField;
import io.hookline.verify.HmacScheme;
import io.hookline.verify.Provider;

/** PagerDuty v3 webhooks: {@code X-PagerDuty-Signature: v1=<hex>[,v1=<hex>…]}, one per active secret. */
public final class PagerDuty {
  static final HmacScheme.Spec SCHEME = HmacScheme.sha256().headers("X-PagerDuty-Signature").prefix("v1=").list(',')
      .events(EventField.body("/event/id"), EventField.body("/event/event_type"));

  public static final Provider PROVIDER = Declared.hmac("pagerduty", SCHEME)
      .docs("https://developer.pagerduty.com/docs/verifying-webhook-signatures")
      .scheme("`X-PagerDuty-Signature: v1=<hex>[,v1=…]` HMAC-SHA256 of the body; any entry may match")
      .secret("webhook subscription secret")
      .sampleBody((id, now) -> Bodies.json("{\"event\":{\"id\":" + Bodies.quoted(id)
          + ",\"event_type\":\"incident.triggered\",\"resource_type\":\"incident\",\"data\":{}}}"))
      .signer(in -> Declared.json(in.body(), "X-PagerDuty-Signature", "v1=" + hex(hmacSha256(in.secret(), in.body()))))
      .build();

  private PagerDuty() {}
}
