package io.hookline.verify.provider;

import static io.hookline.verify.Signatures.hex;
import static io.hookline.verify.Signatures.hmacSha256;

import io.hookline.verify.EventField;
import io.hookline.verify.HmacScheme;
import io.hookline.verify.Provider;

/** Lemon Squeezy: {@code X-Signature}, hex HMAC-SHA256 of the body; it sends no event id (body SHA-256). */
public final class LemonSqueezy {
  static final HmacScheme.Spec SCHEME = HmacScheme.sha256().headers("X-Signature")
      .events(EventField.bodySha256(), EventField.header("X-Event-Name"));

  public static final Provider PROVIDER = Declared.hmac("lemonsqueezy", SCHEME)
      .docs("https://docs.lemonsqueezy.com/help/webhooks/signing-requests")
      .scheme("`X-Signature`: hex HMAC-SHA256 of the body")
      .secret("signing secret")
      .sampleBody((id, now) -> Bodies.json("{\"meta\":{\"event_name\":\"order_created\",\"custom_data\":{\"test_id\":"
          + Bodies.quoted(id) + "}},\"data\":{\"type\":\"orders\"}}"))
      .signer(in -> Declared.json(in.body(), "X-Signature", hex(hmacSha256(in.secret(), in.body())),
          "X-Event-Name", "order_created"))
      .build();

  private LemonSqueezy() {}
}
