package io.hookline.verify.provider;

import static io.hookline.verify.Signatures.hex;
import static io.hookline.verify.Signatures.hmacSha256;

import io.hookline.verify.EventField;
import io.hookline.verify.HmacScheme;
import io.hookline.verify.Provider;

/** Coinbase Commerce: {@code X-CC-Webhook-Signature}, hex HMAC-SHA256 of the body with the shared secret. */
public final class Coinbase {
  static final HmacScheme.Spec SCHEME = HmacScheme.sha256().headers("X-CC-Webhook-Signature")
      .events(EventField.body("/event/id"), EventField.body("/event/type"));

  public static final Provider PROVIDER = Declared.hmac("coinbase", SCHEME)
      .docs("https://docs.cdp.coinbase.com/commerce/docs/webhooks-security")
      .scheme("`X-CC-Webhook-Signature`: hex HMAC-SHA256 of the body")
      .secret("webhook shared secret")
      .note("Coinbase Commerce")
      .sampleBody((id, now) -> Bodies.json("{\"id\":1,\"scheduled_for\":\"" + java.time.Instant.ofEpochSecond(now)
          + "\",\"event\":{\"id\":" + Bodies.quoted(id) + ",\"type\":\"charge:confirmed\",\"data\":{}}}"))
      .signer(in -> Declared.json(in.body(), "X-CC-Webhook-Signature", hex(hmacSha256(in.secret(), in.body()))))
      .build();

  private Coinbase() {}
}
